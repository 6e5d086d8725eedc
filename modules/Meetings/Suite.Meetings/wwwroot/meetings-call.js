// Visio in the browser: the pre-join screen, the two WebRTC connections (publish and subscribe) to the embedded SFU,
// and the in-call interface. Driven by the CallIsland Blazor component (mount / lobbyDecided); the signalling protocol
// is described in docs/meetings-signalling.md. No inline script, no eval, no innerHTML with data: the page's strict
// Content-Security-Policy applies, and every name or message from others is inserted as text.

const SIMULCAST = [
  { rid: 'q', scaleResolutionDownBy: 4, maxBitrate: 150_000 },
  { rid: 'h', scaleResolutionDownBy: 2, maxBitrate: 500_000 },
  { rid: 'f', maxBitrate: 1_500_000 },
];
const REACTIONS = ['👍', '👏', '😂', '❤️', '🎉', '😮', '🤔', '🙏'];
const PAGE_SIZE = 9;
const CONNECT_PATIENCE_MS = 15000;
const RECONNECT_PATIENCE_MS = 12000;

let call = null;

/** Mounts the pre-join screen in `root`. config: { roomCode, roomName, guest, displayName, socketPath, texts }. */
export function mount(root, config, dotnet) {
  if (call) call.dispose();
  call = new Call(root, config, dotnet);
  window.suiteCall = call.testView();
  call.prejoin();
}

/** The Blazor island tells a waiting guest the host's decision: { status, ticket, message }. */
export function lobbyDecided(answer) {
  if (call) call.entryAnswered(answer);
}

export function dispose() {
  if (call) call.dispose();
  call = null;
}

function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') element.className = value;
    else if (name === 'text') element.textContent = value;
    else if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) if (child) element.append(child);
  return element;
}

class Call {
  constructor(root, config, dotnet) {
    this.root = root;
    this.config = config;
    this.dotnet = dotnet;
    this.texts = config.texts || {};
    this.local = new MediaStream();
    this.micOn = true;
    this.cameraOn = true;
    this.devices = { camera: '', microphone: '', speaker: '' };
    this.available = { camera: false, microphone: false };
    this.roster = [];
    this.self = null;
    this.remoteTracks = new Map();   // msid track id → MediaStreamTrack
    this.tiles = new Map();          // tile key → element
    this.audioElements = new Map();  // track id → <audio>
    this.layers = new Map();         // track id → requested layer
    this.pinned = null;
    this.layout = 'grid';
    this.page = 0;
    this.speaker = null;
    this.switches = { selfUnmute: true, screenShare: true, chat: true };
    this.lobby = [];
    this.quality = 'unknown';
    this.qualities = {};
    this.ticket = null;
    this.leaving = false;
    this.retries = 0;
    this.timers = [];
    this.firstFrameMs = null;
    this.joinClickedAt = 0;
    this.keyHandler = (event) => this.onKey(event);
  }

  t(key, ...args) {
    let text = this.texts[key] ?? key;
    args.forEach((value, index) => { text = text.replace(`{${index}}`, value); });
    return text;
  }

  announce(text) {
    if (!this.live) return;
    this.live.textContent = '';
    setTimeout(() => { this.live.textContent = text; }, 50);
  }

  // ---- pre-join ------------------------------------------------------------------------------------------------------

  async prejoin() {
    this.root.replaceChildren();
    this.live = el('p', { class: 'suite-visually-hidden', 'aria-live': 'polite', id: 'call-live' });
    this.preview = el('video', { id: 'prejoin-preview', autoplay: true, muted: true, playsinline: true, 'aria-label': this.t('Call.Preview') });
    this.preview.muted = true;
    this.meter = el('meter', { id: 'prejoin-level', min: 0, max: 1, value: 0, 'aria-label': this.t('Call.MicLevel') });
    this.deviceNotice = el('p', { id: 'prejoin-notice', role: 'status', class: 'meetings-notice' });
    const cameraSelect = el('select', { id: 'prejoin-camera', class: 'fr-select', onchange: (e) => this.chooseDevice('camera', e.target.value) });
    const micSelect = el('select', { id: 'prejoin-microphone', class: 'fr-select', onchange: (e) => this.chooseDevice('microphone', e.target.value) });
    const speakerSelect = el('select', { id: 'prejoin-speaker', class: 'fr-select', onchange: (e) => { this.devices.speaker = e.target.value; } });
    this.selects = { camera: cameraSelect, microphone: micSelect, speaker: speakerSelect };
    const micToggle = el('button', { type: 'button', id: 'prejoin-mic', class: 'fr-btn fr-btn--secondary', 'aria-pressed': 'true', onclick: () => this.prejoinToggle('mic', micToggle) }, this.t('Call.MicOn'));
    const cameraToggle = el('button', { type: 'button', id: 'prejoin-camera-toggle', class: 'fr-btn fr-btn--secondary', 'aria-pressed': 'true', onclick: () => this.prejoinToggle('camera', cameraToggle) }, this.t('Call.CameraOn'));
    this.prejoinToggles = { mic: micToggle, camera: cameraToggle };
    this.nameInput = this.config.guest
      ? el('input', { id: 'prejoin-name', class: 'fr-input', maxlength: 80, autocomplete: 'name', required: true })
      : null;
    this.joinButton = el('button', { type: 'submit', id: 'prejoin-join', class: 'fr-btn' }, this.t('Call.Join'));
    this.entryStatus = el('p', { id: 'prejoin-status', role: 'status', 'aria-live': 'polite' });
    const form = el('form', { id: 'prejoin-form', class: 'meetings-prejoin__form', onsubmit: (e) => { e.preventDefault(); this.join(); } },
      this.nameInput && el('div', { class: 'fr-input-group' }, el('label', { class: 'fr-label', for: 'prejoin-name', text: this.t('Call.YourName') }), this.nameInput),
      el('div', { class: 'fr-select-group' }, el('label', { class: 'fr-label', for: 'prejoin-camera', text: this.t('Call.Camera') }), cameraSelect),
      el('div', { class: 'fr-select-group' }, el('label', { class: 'fr-label', for: 'prejoin-microphone', text: this.t('Call.Microphone') }), micSelect),
      'setSinkId' in HTMLMediaElement.prototype
        ? el('div', { class: 'fr-select-group' }, el('label', { class: 'fr-label', for: 'prejoin-speaker', text: this.t('Call.Speaker') }), speakerSelect)
        : null,
      el('div', { class: 'meetings-prejoin__toggles' }, micToggle, cameraToggle),
      this.joinButton, this.entryStatus);
    this.root.append(el('section', { id: 'prejoin', class: 'meetings-prejoin', 'aria-labelledby': 'prejoin-title' },
      el('h2', { id: 'prejoin-title', text: this.t('Call.PrejoinTitle') }),
      el('div', { class: 'meetings-prejoin__preview' }, this.preview, el('label', { for: 'prejoin-level', text: this.t('Call.MicLevel') }), this.meter),
      this.deviceNotice, form), this.live);
    // A join pressed before the browser answered for the devices waits for them: joining first would publish nothing.
    this.devicesReady = this.openDevices();
    await this.devicesReady;
    await this.listDevices();
  }

  /** Asks for camera and microphone; whatever is denied or absent is left out, and the person is told. */
  async openDevices() {
    this.local.getTracks().forEach((track) => { track.stop(); this.local.removeTrack(track); });
    const video = this.devices.camera ? { deviceId: { exact: this.devices.camera }, width: 1280, height: 720 } : { width: 1280, height: 720 };
    const audio = this.devices.microphone ? { deviceId: { exact: this.devices.microphone } } : true;
    const attempts = [{ audio, video }, { audio }, { video }];
    let stream = null;
    let failure = null;
    for (const constraints of attempts) {
      try {
        stream = await navigator.mediaDevices.getUserMedia(constraints);
        break;
      } catch (error) {
        failure = failure || error;
      }
    }
    stream?.getTracks().forEach((track) => this.local.addTrack(track));
    this.available.camera = this.local.getVideoTracks().length > 0;
    this.available.microphone = this.local.getAudioTracks().length > 0;
    const missing = [];
    if (!this.available.camera) { missing.push(this.t('Call.NoCamera')); this.cameraOn = false; }
    if (!this.available.microphone) { missing.push(this.t('Call.NoMicrophone')); this.micOn = false; }
    const denied = failure && failure.name === 'NotAllowedError';
    this.deviceNotice.textContent = missing.length === 0 ? '' : `${missing.join(' ')} ${this.t(denied ? 'Call.DevicesDenied' : 'Call.DevicesAbsent')}`;
    this.preview.srcObject = this.available.camera ? this.local : null;
    this.applyLocalState();
    this.startAnalyser();
    this.updatePrejoinToggles();
  }

  async listDevices() {
    let devices = [];
    try { devices = await navigator.mediaDevices.enumerateDevices(); } catch { /* no devices to list */ }
    const fill = (select, kind, current) => {
      select.replaceChildren();
      const matching = devices.filter((d) => d.kind === kind);
      if (matching.length === 0) select.append(el('option', { value: '', text: this.t('Call.NoDevice') }));
      matching.forEach((device, index) => select.append(el('option', { value: device.deviceId, selected: device.deviceId === current, text: device.label || `${kind} ${index + 1}` })));
    };
    const videoTrack = this.local.getVideoTracks()[0];
    const audioTrack = this.local.getAudioTracks()[0];
    fill(this.selects.camera, 'videoinput', videoTrack?.getSettings().deviceId);
    fill(this.selects.microphone, 'audioinput', audioTrack?.getSettings().deviceId);
    fill(this.selects.speaker, 'audiooutput', this.devices.speaker);
  }

  async chooseDevice(kind, deviceId) {
    this.devices[kind] = deviceId;
    this.devicesReady = this.openDevices();
    await this.devicesReady;
    if (this.publishPc) await this.replacePublishedTracks();
  }

  prejoinToggle(which, button) {
    if (which === 'mic') this.micOn = this.available.microphone && !this.micOn;
    else this.cameraOn = this.available.camera && !this.cameraOn;
    this.applyLocalState();
    this.updatePrejoinToggles();
  }

  updatePrejoinToggles() {
    if (!this.prejoinToggles) return;
    const { mic, camera } = this.prejoinToggles;
    mic.textContent = this.t(this.micOn ? 'Call.MicOn' : 'Call.MicOff');
    mic.setAttribute('aria-pressed', String(this.micOn));
    mic.disabled = !this.available.microphone;
    camera.textContent = this.t(this.cameraOn ? 'Call.CameraOn' : 'Call.CameraOff');
    camera.setAttribute('aria-pressed', String(this.cameraOn));
    camera.disabled = !this.available.camera;
  }

  applyLocalState() {
    this.local.getAudioTracks().forEach((track) => { track.enabled = this.micOn; });
    this.local.getVideoTracks().forEach((track) => { track.enabled = this.cameraOn; });
  }

  /** Level meter before joining, "you are muted" hint during the call: an analyser on a copy of the microphone that
   * stays enabled while the sent track is muted. */
  startAnalyser() {
    this.stopAnalyser();
    const track = this.local.getAudioTracks()[0];
    if (!track || typeof AudioContext === 'undefined') return;
    this.analysedTrack = track.clone();
    this.audioContext = new AudioContext();
    const source = this.audioContext.createMediaStreamSource(new MediaStream([this.analysedTrack]));
    const analyser = this.audioContext.createAnalyser();
    analyser.fftSize = 512;
    source.connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    let loudSince = 0;
    this.analyserTimer = setInterval(() => {
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const sample of samples) sum += sample * sample;
      const level = Math.min(1, Math.sqrt(sum / samples.length) * 4);
      if (this.meter) this.meter.value = level;
      const now = performance.now();
      if (this.self && !this.micOn && level > 0.12) {
        loudSince = loudSince || now;
        if (now - loudSince > 400) this.showMutedHint();
      } else {
        loudSince = 0;
      }
    }, 100);
  }

  stopAnalyser() {
    clearInterval(this.analyserTimer);
    this.analysedTrack?.stop();
    this.audioContext?.close().catch(() => {});
    this.analysedTrack = null;
    this.audioContext = null;
  }

  showMutedHint() {
    if (!this.mutedHint || !this.mutedHint.hidden) return;
    this.mutedHint.hidden = false;
    this.mutedHint.textContent = this.t('Call.SpeakingWhileMuted');
    clearTimeout(this.mutedHintTimer);
    this.mutedHintTimer = setTimeout(() => { this.mutedHint.hidden = true; }, 5000);
  }

  // ---- entering ------------------------------------------------------------------------------------------------------

  async join() {
    const name = this.nameInput ? this.nameInput.value.trim() : null;
    if (this.nameInput && !name) {
      this.entryStatus.textContent = this.t('Call.NameRequired');
      this.nameInput.focus();
      return;
    }
    this.joinClickedAt = performance.now();
    this.joinButton.disabled = true;
    this.entryStatus.textContent = this.t('Call.Joining');
    await Promise.resolve(this.devicesReady).catch(() => {});
    let answer;
    try {
      answer = await this.dotnet.invokeMethodAsync('RequestEntryAsync', name);
    } catch {
      answer = { status: 'refused', message: this.t('Call.Error.unavailable') };
    }
    this.entryAnswered(answer);
  }

  entryAnswered(answer) {
    if (answer.status === 'ticket') {
      // After a lobby wait, time the join from the admission (the wait is the host's, not the system's).
      if (this.root.dataset.entry === 'waiting') this.joinClickedAt = performance.now();
      this.ticket = answer.ticket;
      this.connect();
      return;
    }
    this.entryStatus.textContent = answer.message || this.t('Call.Refused');
    this.joinButton.disabled = answer.status === 'waiting';
    this.root.dataset.entry = answer.status;
  }

  // ---- signalling ----------------------------------------------------------------------------------------------------

  connect() {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = new WebSocket(`${scheme}//${location.host}${this.config.socketPath}`);
    this.socket = socket;
    socket.addEventListener('open', () => this.send({ type: 'join', ticket: this.ticket, mic: this.micOn, camera: this.cameraOn }));
    // Messages are handled one after the other: an offer must not be applied while the welcome still sets up the
    // peer connections.
    let queue = Promise.resolve();
    socket.addEventListener('message', (event) => {
      let message;
      try { message = JSON.parse(event.data); } catch { return; }
      queue = queue.then(() => this.onMessage(message)).catch((error) => console.warn('call: message failed', message.type, error));
    });
    socket.addEventListener('close', () => { if (this.socket === socket) this.onSocketClosed(); });
  }

  send(message) {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  onSocketClosed() {
    this.socket = null;
    if (this.leaving || !this.ticket) return;
    if (!this.self) {
      this.entryStatus && (this.entryStatus.textContent = this.lastError ? this.t(`Call.Error.${this.lastError}`) : this.t('Call.Refused'));
      if (this.joinButton) this.joinButton.disabled = false;
      return;
    }
    // A network blip: try again with the latest rejoin ticket, backing off, and keep the call on screen meanwhile.
    this.setBanner(this.t('Call.Reconnecting'));
    this.root.dataset.state = 'reconnecting';
    const delay = Math.min(8000, 500 * 2 ** this.retries++);
    if (this.retries > 12) {
      this.finish(this.t('Call.ConnectionLost'));
      return;
    }
    this.timers.push(setTimeout(() => this.connect(), delay));
  }

  async onMessage(message) {
    switch (message.type) {
      case 'welcome': return this.onWelcome(message);
      case 'publish-answer': return this.publishPc?.setRemoteDescription({ type: 'answer', sdp: message.sdp });
      case 'subscribe-offer': return this.onSubscribeOffer(message.sdp);
      case 'roster': this.onRoster(message); return;
      case 'speaker': this.speaker = message.participantId; this.render(); return;
      case 'chat': this.onChat(message); return;
      case 'reaction': this.onReaction(message); return;
      case 'switches': this.switches = message.switches; this.renderControls(); return;
      case 'lobby': this.lobby = message.waiting; this.renderLobby(); return;
      case 'ticket': this.ticket = message.ticket; return;
      case 'stats': this.onStats(message); return;
      case 'quality': this.qualities = message.levels; this.renderParticipants(); return;
      case 'muted': this.setMic(false, false); this.announce(message.by ? this.t('Call.MutedBy', message.by) : this.t('Call.MutedOnJoin')); return;
      case 'camera-stopped': this.setCamera(false, false); this.announce(this.t('Call.CameraStoppedBy', message.by || '')); return;
      case 'screen-stopped': await this.stopScreen(false); this.announce(this.t('Call.ScreenStoppedBy', message.by || '')); return;
      case 'promoted': this.self.role = message.role; this.announce(this.t('Call.Promoted')); this.renderControls(); this.renderParticipants(); return;
      case 'demoted': this.self.role = message.role; this.announce(this.t('Call.Demoted')); this.renderControls(); this.renderParticipants(); this.renderLobby(); return;
      case 'removed': this.finish(this.t('Call.Removed'), 'removed'); return;
      case 'ended': this.finish(this.t('Call.Ended'), 'ended'); return;
      case 'media-failed': this.socket?.close(); return;
      case 'error': return this.onError(message);
      case 'pong': return;
      default: return;
    }
  }

  onError(message) {
    this.lastError = message.code;
    const text = this.t(`Call.Error.${message.code}`);
    if (!this.self) {
      if (this.entryStatus) this.entryStatus.textContent = text;
      this.root.dataset.entry = message.code;
      return;
    }
    this.announce(text);
    this.setBanner(text, 4000);
  }

  async onWelcome(message) {
    const rejoin = !!this.self;
    this.self = message.self;
    this.switches = message.switches;
    this.ticket = message.ticket;
    this.retries = 0;
    this.root.dataset.state = 'in-call';
    this.root.dataset.participantId = this.self.id;
    if (!message.self.mic) this.setMic(false, false);
    if (!rejoin) this.buildCallUi(message.room);
    this.setBanner('');
    this.ensureSubscriber();
    await this.startPublishing();
    this.announce(this.t(rejoin ? 'Call.Reconnected' : 'Call.Joined'));
  }

  // ---- WebRTC --------------------------------------------------------------------------------------------------------

  async startPublishing() {
    this.publishPc?.close();
    const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
    this.publishPc = pc;
    this.transceivers = {};
    const audio = this.local.getAudioTracks()[0];
    const video = this.local.getVideoTracks()[0];
    if (audio) this.transceivers.microphone = pc.addTransceiver(audio, { direction: 'sendonly', streams: [this.local] });
    if (video) this.transceivers.camera = pc.addTransceiver(video, { direction: 'sendonly', streams: [this.local], sendEncodings: SIMULCAST });
    if (this.screenStream) {
      this.transceivers.screen = pc.addTransceiver(this.screenStream.getVideoTracks()[0], { direction: 'sendonly', streams: [this.screenStream] });
    }
    this.watchConnection(pc, () => pc === this.publishPc);
    await this.renegotiatePublish();
  }

  async renegotiatePublish() {
    const pc = this.publishPc;
    if (!pc) return;
    if (Object.keys(this.transceivers).length === 0) return; // a listener: nothing to send
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    const sources = {};
    for (const [source, transceiver] of Object.entries(this.transceivers)) {
      if (transceiver.mid !== null && transceiver.direction === 'sendonly') sources[transceiver.mid] = source;
    }
    this.send({ type: 'publish', sdp: pc.localDescription.sdp, sources });
  }

  async replacePublishedTracks() {
    const audio = this.local.getAudioTracks()[0];
    const video = this.local.getVideoTracks()[0];
    if (audio && this.transceivers.microphone) await this.transceivers.microphone.sender.replaceTrack(audio);
    if (video && this.transceivers.camera) await this.transceivers.camera.sender.replaceTrack(video);
    if ((audio && !this.transceivers.microphone) || (video && !this.transceivers.camera)) await this.startPublishing();
  }

  ensureSubscriber() {
    this.subscribePc?.close();
    this.remoteTracks.clear();
    this.layers.clear();
    const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
    this.subscribePc = pc;
    pc.addEventListener('track', (event) => {
      const track = event.track;
      this.remoteTracks.set(track.id, track);
      track.addEventListener('ended', () => { this.remoteTracks.delete(track.id); this.render(); });
      this.render();
    });
    this.watchConnection(pc, () => pc === this.subscribePc);
  }

  // A media connection that fails, or stays connecting or disconnected for too long (a lost packet path, a stalled
  // handshake), ends the signalling socket: the reconnection then rejoins with fresh media connections.
  watchConnection(pc, isCurrent) {
    let timer = null;
    const stuck = () => { timer = null; if (isCurrent() && pc.connectionState !== 'connected') this.socket?.close(); };
    pc.addEventListener('connectionstatechange', () => {
      if (!isCurrent()) return;
      const state = pc.connectionState;
      if (state === 'failed') { this.socket?.close(); return; }
      if (state === 'connected' || state === 'closed') { clearTimeout(timer); timer = null; return; }
      if ((state === 'connecting' || state === 'disconnected') && timer === null) {
        timer = setTimeout(stuck, state === 'connecting' ? CONNECT_PATIENCE_MS : RECONNECT_PATIENCE_MS);
      }
    });
  }

  async onSubscribeOffer(sdp) {
    const pc = this.subscribePc;
    await pc.setRemoteDescription({ type: 'offer', sdp });
    const answer = await pc.createAnswer();
    await pc.setLocalDescription(answer);
    this.send({ type: 'subscribe-answer', sdp: pc.localDescription.sdp });
    // Tracks whose m-section went inactive are gone.
    const live = new Set(pc.getTransceivers().filter((t) => t.currentDirection !== 'inactive' && !t.stopped).map((t) => t.receiver.track.id));
    for (const id of [...this.remoteTracks.keys()]) if (!live.has(id)) this.remoteTracks.delete(id);
    this.render();
  }

  // ---- local controls ------------------------------------------------------------------------------------------------

  setMic(on, tell = true) {
    if (on && !this.available.microphone) return;
    if (on && tell && !this.switches.selfUnmute && !this.isModerator()) {
      this.announce(this.t('Call.Error.not-allowed'));
      return;
    }
    this.micOn = on;
    this.applyLocalState();
    if (tell) this.send({ type: 'media-state', mic: on });
    this.renderControls();
    this.announce(this.t(on ? 'Call.MicIsOn' : 'Call.MicIsOff'));
  }

  setCamera(on, tell = true) {
    if (on && !this.available.camera) return;
    this.cameraOn = on;
    this.applyLocalState();
    if (tell) this.send({ type: 'media-state', camera: on });
    this.renderControls();
  }

  async toggleScreen() {
    if (this.screenStream) return this.stopScreen(true);
    let stream;
    try {
      stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
    } catch {
      this.announce(this.t('Call.ScreenDenied'));
      return;
    }
    this.screenStream = stream;
    const track = stream.getVideoTracks()[0];
    track.addEventListener('ended', () => this.stopScreen(true));
    if (this.transceivers.screen) {
      await this.transceivers.screen.sender.replaceTrack(track);
      this.transceivers.screen.direction = 'sendonly';
    } else {
      this.transceivers.screen = this.publishPc.addTransceiver(track, { direction: 'sendonly', streams: [stream] });
    }
    await this.renegotiatePublish();
    this.send({ type: 'media-state', screen: true });
    this.renderControls();
    this.announce(this.t('Call.SharingScreen'));
  }

  async stopScreen(tell) {
    if (!this.screenStream) return;
    this.screenStream.getTracks().forEach((track) => track.stop());
    this.screenStream = null;
    const transceiver = this.transceivers.screen;
    if (transceiver) {
      await transceiver.sender.replaceTrack(null);
      transceiver.direction = 'inactive';
      await this.renegotiatePublish();
    }
    if (tell) this.send({ type: 'media-state', screen: false });
    this.renderControls();
  }

  isModerator() {
    return this.self && (this.self.role === 'owner' || this.self.role === 'administrator');
  }

  ownHandRaised() {
    return !!this.roster.find((p) => p.id === this.self?.id)?.hand;
  }

  onKey(event) {
    if (!this.self || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) return;
    const key = event.key.toLowerCase();
    if (key === 'm') this.setMic(!this.micOn);
    else if (key === 'v') this.setCamera(!this.cameraOn);
    else if (key === 'h') this.send({ type: 'hand', raised: !this.ownHandRaised() });
    else return;
    event.preventDefault();
  }

  // ---- in-call interface ---------------------------------------------------------------------------------------------

  buildCallUi(room) {
    this.stopPreview();
    this.root.replaceChildren();
    this.banner = el('p', { id: 'call-banner', class: 'meetings-banner', role: 'status', hidden: true });
    this.mutedHint = el('p', { id: 'call-muted-hint', class: 'meetings-banner', role: 'alert', hidden: true });
    this.stage = el('div', { id: 'call-stage', class: 'meetings-stage', 'data-layout': this.layout, role: 'region', 'aria-label': this.t('Call.Stage') });
    this.pager = el('nav', { id: 'call-pager', class: 'meetings-pager', 'aria-label': this.t('Call.Pages') });
    this.audioBox = el('div', { hidden: true });
    this.controls = el('div', { id: 'call-controls', class: 'meetings-controls', role: 'toolbar', 'aria-label': this.t('Call.Controls') });
    this.qualityLabel = el('p', { id: 'call-quality', class: 'meetings-quality', 'data-quality': 'unknown', text: this.t('Call.Quality.unknown') });
    this.participantsPanel = el('section', { id: 'call-participants', class: 'meetings-panel', 'aria-labelledby': 'call-participants-title' });
    this.lobbyPanel = el('section', { id: 'call-lobby', class: 'meetings-panel', 'aria-labelledby': 'call-lobby-title', hidden: true });
    this.chatLog = el('ol', { id: 'call-chat-log', class: 'meetings-chat__log', role: 'log', 'aria-live': 'polite', 'aria-label': this.t('Call.Chat') });
    this.chatInput = el('input', { id: 'call-chat-input', class: 'fr-input', maxlength: 2000, autocomplete: 'off' });
    this.chatPanel = el('section', { id: 'call-chat', class: 'meetings-panel', 'aria-labelledby': 'call-chat-title' },
      el('h3', { id: 'call-chat-title', text: this.t('Call.Chat') }),
      el('p', { class: 'fr-hint-text', text: this.t('Call.ChatEphemeral') }),
      this.chatLog,
      el('form', { id: 'call-chat-form', onsubmit: (e) => { e.preventDefault(); this.sendChat(); } },
        el('label', { class: 'fr-label', for: 'call-chat-input', text: this.t('Call.ChatMessage') }), this.chatInput,
        el('button', { type: 'submit', class: 'fr-btn fr-btn--sm', text: this.t('Call.Send') })));
    this.reactionsLayer = el('div', { class: 'meetings-reactions', 'aria-hidden': 'true' });
    this.root.append(
      el('h2', { class: 'suite-visually-hidden', text: this.t('Call.InCall', room.name || room.code) }),
      this.banner, this.mutedHint, this.qualityLabel,
      el('div', { class: 'meetings-call' }, el('div', { class: 'meetings-call__main' }, this.stage, this.pager, this.reactionsLayer, this.controls),
        el('div', { class: 'meetings-call__side' }, this.lobbyPanel, this.participantsPanel, this.chatPanel)),
      this.audioBox, this.live);
    document.addEventListener('keydown', this.keyHandler);
    this.resizeObserver = new ResizeObserver(() => this.requestLayers());
    this.resizeObserver.observe(this.stage);
    this.renderControls();
    this.render();
  }

  stopPreview() {
    if (this.preview) this.preview.srcObject = null;
    this.meter = null;
  }

  setBanner(text, hideAfter = 0) {
    if (!this.banner) return;
    this.banner.textContent = text;
    this.banner.hidden = !text;
    if (hideAfter) this.timers.push(setTimeout(() => { if (this.banner.textContent === text) this.banner.hidden = true; }, hideAfter));
  }

  button(id, label, onclick, { pressed, shortcut, disabled } = {}) {
    return el('button', {
      type: 'button', id, class: 'fr-btn fr-btn--secondary fr-btn--sm', onclick,
      'aria-pressed': pressed === undefined ? null : String(pressed),
      'aria-keyshortcuts': shortcut, disabled, title: shortcut ? `${label} (${shortcut})` : null,
    }, label);
  }

  renderControls() {
    if (!this.controls) return;
    const moderator = this.isModerator();
    const canUnmute = this.switches.selfUnmute || moderator;
    const canShare = this.switches.screenShare || moderator;
    const hand = this.ownHandRaised();
    const reactions = el('div', { class: 'meetings-reaction-buttons', role: 'group', 'aria-label': this.t('Call.Reactions') },
      ...REACTIONS.map((emoji) => el('button', { type: 'button', class: 'fr-btn fr-btn--tertiary fr-btn--sm', 'aria-label': this.t('Call.React', emoji), onclick: () => this.send({ type: 'reaction', emoji }) }, emoji)));
    this.controls.replaceChildren(...[
      this.button('call-mic', this.t(this.micOn ? 'Call.MuteMic' : 'Call.UnmuteMic'), () => this.setMic(!this.micOn),
        { pressed: !this.micOn, shortcut: 'M', disabled: !this.available.microphone || (!this.micOn && !canUnmute) }),
      this.button('call-camera', this.t(this.cameraOn ? 'Call.StopCamera' : 'Call.StartCamera'), () => this.setCamera(!this.cameraOn),
        { pressed: !this.cameraOn, shortcut: 'V', disabled: !this.available.camera }),
      this.button('call-screen', this.t(this.screenStream ? 'Call.StopScreen' : 'Call.ShareScreen'), () => this.toggleScreen(),
        { pressed: !!this.screenStream, disabled: !this.screenStream && !canShare }),
      this.button('call-hand', this.t(hand ? 'Call.LowerHand' : 'Call.RaiseHand'), () => this.send({ type: 'hand', raised: !hand }), { pressed: hand, shortcut: 'H' }),
      reactions,
      this.button('call-layout', this.t(this.layout === 'grid' ? 'Call.SpeakerView' : 'Call.GridView'), () => { this.layout = this.layout === 'grid' ? 'speaker' : 'grid'; this.page = 0; this.renderControls(); this.render(); }),
      moderator ? this.button('call-mute-all', this.t('Call.MuteAll'), () => this.send({ type: 'mute-all' })) : null,
      moderator ? this.button('call-lower-hands', this.t('Call.LowerAllHands'), () => this.send({ type: 'lower-hands' })) : null,
      moderator ? this.switchesForm() : null,
      moderator ? el('button', { type: 'button', id: 'call-end', class: 'fr-btn fr-btn--sm', onclick: () => this.send({ type: 'end' }) }, this.t('Call.EndForAll')) : null,
      el('button', { type: 'button', id: 'call-leave', class: 'fr-btn fr-btn--sm', onclick: () => this.leave() }, this.t('Call.Leave')),
    ].filter(Boolean));
    this.chatInput.disabled = !(this.switches.chat || moderator);
  }

  switchesForm() {
    const box = (id, key, label) => {
      const input = el('input', { type: 'checkbox', id, checked: this.switches[key], onchange: (e) => this.send({ type: 'switches', [key]: e.target.checked }) });
      return el('div', { class: 'fr-checkbox-group fr-checkbox-group--sm' }, input, el('label', { class: 'fr-label', for: id, text: label }));
    };
    return el('fieldset', { class: 'meetings-switches', id: 'call-switches' }, el('legend', { text: this.t('Call.Switches') }),
      box('switch-unmute', 'selfUnmute', this.t('Call.Switch.SelfUnmute')),
      box('switch-screen', 'screenShare', this.t('Call.Switch.ScreenShare')),
      box('switch-chat', 'chat', this.t('Call.Switch.Chat')));
  }

  onRoster(message) {
    const before = new Map(this.roster.map((p) => [p.id, p]));
    this.roster = message.participants;
    this.speaker = message.speaker;
    this.switches = message.switches;
    for (const participant of this.roster) {
      const previous = before.get(participant.id);
      if (!previous && before.size > 0) this.announce(this.t('Call.ParticipantJoined', participant.name));
      if (previous && !previous.hand && participant.hand && participant.id !== this.self?.id) this.announce(this.t('Call.HandRaisedBy', participant.name));
    }
    for (const [id, previous] of before) if (!this.roster.some((p) => p.id === id)) this.announce(this.t('Call.ParticipantLeft', previous.name));
    this.renderControls();
    this.renderParticipants();
    this.render();
  }

  participantName(id) {
    return this.roster.find((p) => p.id === id)?.name ?? '?';
  }

  /** The tiles: one per participant (camera or name), one per screen share. */
  tileList() {
    const tiles = [];
    for (const participant of this.roster) {
      const self = participant.id === this.self?.id;
      const cameraTrack = participant.tracks.find((t) => t.source === 'camera');
      tiles.push({ key: `camera:${participant.id}`, participant, self, kind: 'camera', trackId: cameraTrack?.id });
      for (const screen of participant.tracks.filter((t) => t.source === 'screen')) {
        if (participant.screen || self) tiles.push({ key: `screen:${screen.id}`, participant, self, kind: 'screen', trackId: screen.id });
      }
    }
    return tiles;
  }

  render() {
    if (!this.stage) return;
    this.renderAudio();
    const tiles = this.tileList();
    let visible;
    let main = null;
    if (this.layout === 'speaker' || this.pinned) {
      main = tiles.find((t) => t.key === this.pinned) || tiles.find((t) => t.kind === 'screen' && !t.self)
        || tiles.find((t) => t.participant.id === this.speaker && !t.self) || tiles.find((t) => !t.self) || tiles[0];
      visible = main ? [main, ...tiles.filter((t) => t !== main).slice(0, 6)] : [];
      this.stage.dataset.layout = 'speaker';
      this.pager.replaceChildren();
    } else {
      const pages = Math.max(1, Math.ceil(tiles.length / PAGE_SIZE));
      this.page = Math.min(this.page, pages - 1);
      visible = tiles.slice(this.page * PAGE_SIZE, (this.page + 1) * PAGE_SIZE);
      this.stage.dataset.layout = 'grid';
      this.stage.style.setProperty('--meetings-columns', String(Math.ceil(Math.sqrt(Math.max(1, visible.length)))));
      this.renderPager(pages);
    }
    const keep = new Set(visible.map((t) => t.key));
    for (const [key, element] of this.tiles) if (!keep.has(key)) { element.remove(); this.tiles.delete(key); }
    visible.forEach((tile, index) => {
      const element = this.tiles.get(tile.key) || this.createTile(tile);
      this.updateTile(element, tile, tile === main);
      if (this.stage.children[index] !== element) this.stage.insertBefore(element, this.stage.children[index] || null);
    });
    this.requestLayers();
  }

  renderPager(pages) {
    if (pages <= 1) { this.pager.replaceChildren(); return; }
    this.pager.replaceChildren(
      el('button', { type: 'button', class: 'fr-btn fr-btn--tertiary fr-btn--sm', disabled: this.page === 0, onclick: () => { this.page--; this.render(); } }, this.t('Call.PreviousPage')),
      el('span', { text: this.t('Call.PageOf', this.page + 1, pages) }),
      el('button', { type: 'button', class: 'fr-btn fr-btn--tertiary fr-btn--sm', disabled: this.page >= pages - 1, onclick: () => { this.page++; this.render(); } }, this.t('Call.NextPage')));
  }

  createTile(tile) {
    const video = el('video', { autoplay: true, playsinline: true, muted: true });
    video.muted = true;
    const label = el('span', { class: 'meetings-tile__name' });
    const status = el('span', { class: 'meetings-tile__status' });
    const pin = el('button', { type: 'button', class: 'meetings-tile__pin fr-btn fr-btn--tertiary fr-btn--sm' });
    pin.addEventListener('click', () => { this.pinned = this.pinned === tile.key ? null : tile.key; this.render(); });
    const element = el('figure', { class: 'meetings-tile', 'data-tile': tile.key, 'data-kind': tile.kind, 'data-participant': tile.participant.id },
      video, el('figcaption', {}, label, status, pin));
    element.parts = { video, label, status, pin };
    video.addEventListener('loadeddata', () => this.firstFrame(tile));
    this.tiles.set(tile.key, element);
    return element;
  }

  firstFrame(tile) {
    if (tile.self || this.firstFrameMs !== null || !this.joinClickedAt) return;
    this.firstFrameMs = Math.round(performance.now() - this.joinClickedAt);
    this.root.dataset.firstRemoteFrameMs = String(this.firstFrameMs);
  }

  updateTile(element, tile, big) {
    const { video, label, status, pin } = element.parts;
    const participant = tile.participant;
    const stream = tile.self
      ? (tile.kind === 'screen' ? this.screenStream : (this.cameraOn ? this.local : null))
      : this.streamOf(tile.trackId);
    const showVideo = !!stream && (tile.kind === 'screen' || participant.camera);
    if (video.srcObject !== (showVideo ? stream : null)) video.srcObject = showVideo ? stream : null;
    video.hidden = !showVideo;
    element.dataset.big = String(big);
    element.dataset.speaking = String(participant.id === this.speaker);
    element.dataset.trackId = tile.trackId || '';
    const name = tile.self ? this.t('Call.You', participant.name) : participant.name;
    label.textContent = tile.kind === 'screen' ? this.t('Call.ScreenOf', name) : name;
    const flags = [];
    if (tile.kind === 'camera') {
      if (!participant.mic) flags.push(this.t('Call.State.MicOff'));
      if (participant.hand) flags.push(this.t('Call.State.Hand'));
      if (participant.state !== 'connected') flags.push(this.t(`Call.State.${participant.state}`));
    }
    status.textContent = flags.join(' · ');
    pin.textContent = this.t(this.pinned === tile.key ? 'Call.Unpin' : 'Call.Pin');
    pin.setAttribute('aria-label', this.t(this.pinned === tile.key ? 'Call.UnpinName' : 'Call.PinName', label.textContent));
    element.setAttribute('aria-label', [label.textContent, status.textContent].filter(Boolean).join(', '));
  }

  streamOf(trackId) {
    const track = trackId && this.remoteTracks.get(trackId);
    if (!track) return null;
    this.streams = this.streams || new Map();
    let stream = this.streams.get(trackId);
    if (!stream || stream.getTracks()[0] !== track) {
      stream = new MediaStream([track]);
      this.streams.set(trackId, stream);
    }
    return stream;
  }

  renderAudio() {
    const wanted = new Set();
    for (const participant of this.roster) {
      if (participant.id === this.self?.id) continue;
      for (const track of participant.tracks.filter((t) => t.kind === 'audio')) {
        const remote = this.remoteTracks.get(track.id);
        if (!remote) continue;
        wanted.add(track.id);
        if (!this.audioElements.has(track.id)) {
          const audio = el('audio', { autoplay: true, 'data-track': track.id });
          audio.srcObject = new MediaStream([remote]);
          if (this.devices.speaker && audio.setSinkId) audio.setSinkId(this.devices.speaker).catch(() => {});
          this.audioBox.append(audio);
          this.audioElements.set(track.id, audio);
        }
      }
    }
    for (const [id, audio] of this.audioElements) if (!wanted.has(id)) { audio.remove(); this.audioElements.delete(id); }
  }

  /** Small tiles ask the SFU for a lower simulcast layer (0 = smallest); the big one for the best. */
  requestLayers() {
    for (const element of this.tiles.values()) {
      const trackId = element.dataset.trackId;
      if (!trackId || element.dataset.kind !== 'camera' || element.dataset.participant === this.self?.id) continue;
      const width = element.getBoundingClientRect().width;
      const layer = width >= 640 ? 2 : width >= 300 ? 1 : 0;
      if (this.layers.get(trackId) !== layer) {
        this.layers.set(trackId, layer);
        this.send({ type: 'max-layer', trackId, layer });
      }
    }
  }

  renderParticipants() {
    if (!this.participantsPanel) return;
    const moderator = this.isModerator();
    const items = this.roster.map((participant) => {
      const self = participant.id === this.self?.id;
      const states = [
        this.t(participant.mic ? 'Call.State.MicOn' : 'Call.State.MicOff'),
        this.t(participant.camera ? 'Call.State.CameraOn' : 'Call.State.CameraOff'),
        participant.screen ? this.t('Call.State.Screen') : null,
        participant.hand ? this.t('Call.State.Hand') : null,
        this.t(`Call.Quality.${this.qualities[participant.id] || participant.quality || 'unknown'}`),
      ].filter(Boolean);
      const actions = [];
      if (moderator && !self) {
        const act = (type, key) => el('button', { type: 'button', class: 'fr-btn fr-btn--tertiary fr-btn--sm', 'data-action': type,
          'aria-label': this.t(`${key}Name`, participant.name), onclick: () => this.send({ type, participantId: participant.id }) }, this.t(key));
        if (participant.mic) actions.push(act('mute', 'Call.Mute'));
        if (participant.camera) actions.push(act('stop-camera', 'Call.StopTheirCamera'));
        if (participant.screen) actions.push(act('stop-screen', 'Call.StopTheirScreen'));
        if (participant.role === 'participant' || participant.role === 'guest') actions.push(act('promote', 'Call.Promote'));
        if (participant.role === 'administrator') actions.push(act('demote', 'Call.Demote'));
        if (participant.role !== 'owner') actions.push(act('remove', 'Call.Remove'));
      }
      return el('li', { 'data-participant': participant.id, 'data-hand': String(participant.hand), 'data-mic': String(participant.mic) },
        el('strong', { text: self ? this.t('Call.You', participant.name) : participant.name }),
        el('span', { class: 'meetings-role', text: ` (${this.t(`Call.Role.${participant.role}`)})` }),
        el('span', { class: 'meetings-states', text: ` — ${states.join(', ')}` }), ...actions);
    });
    this.participantsPanel.replaceChildren(
      el('h3', { id: 'call-participants-title', text: this.t('Call.Participants', this.roster.length) }),
      el('ul', { id: 'call-participant-list' }, ...items));
  }

  renderLobby() {
    if (!this.lobbyPanel) return;
    this.lobbyPanel.hidden = !this.isModerator() || this.lobby.length === 0;
    const items = this.lobby.map((request) => el('li', { 'data-request': request.id },
      el('strong', { text: request.name }), request.guest ? el('span', { text: ` (${this.t('Call.Guest')})` }) : null,
      el('button', { type: 'button', class: 'fr-btn fr-btn--sm', 'aria-label': this.t('Call.AdmitName', request.name), onclick: () => this.send({ type: 'admit', requestId: request.id, admit: true }) }, this.t('Call.Admit')),
      el('button', { type: 'button', class: 'fr-btn fr-btn--sm fr-btn--secondary', 'aria-label': this.t('Call.DenyName', request.name), onclick: () => this.send({ type: 'admit', requestId: request.id, admit: false }) }, this.t('Call.Deny'))));
    this.lobbyPanel.replaceChildren(
      el('h3', { id: 'call-lobby-title', text: this.t('Call.Lobby', this.lobby.length) }),
      el('ul', {}, ...items),
      el('button', { type: 'button', class: 'fr-btn fr-btn--sm fr-btn--tertiary', onclick: () => this.send({ type: 'admit-all', admit: true }) }, this.t('Call.AdmitAll')));
    if (this.lobby.length > 0) this.announce(this.t('Call.SomeoneWaits', this.lobby[this.lobby.length - 1].name));
  }

  sendChat() {
    const text = this.chatInput.value.trim();
    if (!text) return;
    this.send({ type: 'chat', text });
    this.chatInput.value = '';
  }

  onChat(message) {
    const time = new Date(message.at).toLocaleTimeString(document.documentElement.lang || undefined, { hour: '2-digit', minute: '2-digit' });
    this.chatLog.append(el('li', {}, el('strong', { text: message.name }), el('span', { text: ` (${time}) ` }), el('span', { text: message.text })));
    while (this.chatLog.children.length > 200) this.chatLog.firstElementChild.remove();
  }

  onReaction(message) {
    const bubble = el('span', { class: 'meetings-reaction', text: `${message.emoji} ${message.name}` });
    this.reactionsLayer.append(bubble);
    setTimeout(() => bubble.remove(), 4000);
    this.announce(this.t('Call.ReactedWith', message.name, message.emoji));
  }

  onStats(message) {
    this.quality = message.quality;
    this.qualityLabel.dataset.quality = message.quality;
    const rtt = message.rttMs == null ? '' : ` — ${Math.round(message.rttMs)} ms`;
    this.qualityLabel.textContent = `${this.t(`Call.Quality.${message.quality}`)}${rtt}`;
  }

  leave() {
    this.send({ type: 'leave' });
    this.finish(this.t('Call.Left'), 'left');
  }

  /** The call is over for this page: stop everything and say why. */
  finish(text, state = 'over') {
    this.leaving = true;
    this.teardown();
    this.root.replaceChildren(
      el('section', { id: 'call-over', 'aria-labelledby': 'call-over-title' },
        el('h2', { id: 'call-over-title', tabindex: '-1', text }),
        state === 'removed' || state === 'ended' ? null : el('a', { class: 'fr-btn', href: location.pathname + location.search, text: this.t('Call.Rejoin') })),
      this.live);
    this.root.dataset.state = state;
    this.root.querySelector('#call-over-title').focus();
    this.announce(text);
  }

  teardown() {
    this.timers.forEach((timer) => clearTimeout(timer));
    this.timers = [];
    document.removeEventListener('keydown', this.keyHandler);
    this.resizeObserver?.disconnect();
    this.stopAnalyser();
    const socket = this.socket;
    this.socket = null;
    socket?.close();
    this.publishPc?.close();
    this.subscribePc?.close();
    this.publishPc = null;
    this.subscribePc = null;
    this.local.getTracks().forEach((track) => track.stop());
    this.screenStream?.getTracks().forEach((track) => track.stop());
    this.screenStream = null;
    this.tiles.clear();
    this.audioElements.clear();
    this.stage = null;
  }

  dispose() {
    this.leaving = true;
    if (this.socket) this.send({ type: 'leave' });
    this.teardown();
  }

  /** What the end-to-end tests read: inbound media counters per participant and the join-to-first-frame time. */
  testView() {
    return {
      state: () => this.root.dataset.state || 'prejoin',
      self: () => this.self,
      roster: () => this.roster,
      firstRemoteFrameMs: () => this.firstFrameMs,
      debug: async () => ({
        publish: this.publishPc?.connectionState,
        subscribe: this.subscribePc?.connectionState,
        signalling: this.subscribePc?.signalingState,
        subscribeIce: this.subscribePc?.iceConnectionState,
        subscribeTransport: [...(await this.subscribePc?.getStats() ?? new Map()).values()]
          .filter((r) => r.type === 'candidate-pair' || r.type === 'transport')
          .map((r) => r.type === 'transport' ? `dtls:${r.dtlsState}` : `pair:${r.state}:req${r.requestsSent}:resp${r.responsesReceived}:nom${r.nominated}`),
        roster: this.roster.map((p) => ({ id: p.id, name: p.name, state: p.state, tracks: p.tracks.map((t) => `${t.source}:${t.id}:${t.enabled}`) })),
        transceivers: this.subscribePc?.getTransceivers().map((t) => `${t.mid}:${t.currentDirection}:${t.receiver.track.kind}:${t.receiver.track.id}`),
        inbound: [...(await this.subscribePc?.getStats() ?? new Map()).values()].filter((r) => r.type === 'inbound-rtp')
          .map((r) => `${r.mid}:${r.kind}:${r.trackIdentifier}:p${r.packetsReceived}:f${r.framesDecoded ?? '-'}:k${r.keyFramesDecoded ?? '-'}`),
        outbound: [...(await this.publishPc?.getStats() ?? new Map()).values()].filter((r) => r.type === 'outbound-rtp')
          .map((r) => `${r.mid}:${r.kind}:${r.rid ?? ''}:p${r.packetsSent}:f${r.framesEncoded ?? '-'}:${r.qualityLimitationReason ?? ''}`),
      }),
      inbound: async () => {
        const result = {};
        if (!this.subscribePc) return result;
        const owners = new Map();
        for (const participant of this.roster) for (const track of participant.tracks) owners.set(track.id, { participant: participant.id, source: track.source });
        const report = await this.subscribePc.getStats();
        const trackOfMid = new Map(this.subscribePc.getTransceivers().map((t) => [t.mid, t.receiver.track.id]));
        report.forEach((stat) => {
          if (stat.type !== 'inbound-rtp') return;
          const owner = owners.get(stat.trackIdentifier) || owners.get(trackOfMid.get(stat.mid));
          if (!owner) return;
          const entry = result[owner.participant] || (result[owner.participant] = { framesDecoded: 0, audioPackets: 0, screenFrames: 0 });
          if (stat.kind === 'audio') entry.audioPackets += stat.packetsReceived || 0;
          else if (owner.source === 'screen') entry.screenFrames += stat.framesDecoded || 0;
          else entry.framesDecoded += stat.framesDecoded || 0;
        });
        return result;
      },
    };
  }
}
