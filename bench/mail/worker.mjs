// The Node side of bench/mail.sh: a long-lived worker driven by Suite.Bench.Mail over stdin/stdout, one JSON request
// per line, one JSON answer per line. It stays up for the whole run, so every measured round runs warm, as the .NET
// side does; process start is never timed.
//   {"op":"mime","list":"<file with one .eml path per line>"}       -> parse every file with mailparser
//   {"op":"imap-first","host","port","user","pass","ca"}             -> connect + login + select + newest 50 messages
//   {"op":"imap-sync","host","port","user","pass","ca"}              -> (connect + login + select untimed) all headers
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { simpleParser } from 'mailparser';
import { ImapFlow } from 'imapflow';

// mailparser also renders text as HTML, HTML as text and links as anchors by default; that is presentation, not
// parsing, and our engine does none of it: switched off so both sides do the same work (parse + decode everything).
const parserOptions = { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true, skipTextLinks: true };

async function mime(request) {
    const files = (await readFile(request.list, 'utf8')).split('\n').filter(line => line.length > 0);
    const cpu = process.cpuUsage();
    const started = process.hrtime.bigint();
    let bytes = 0;
    let attachments = 0;
    let attachmentBytes = 0;
    let textChars = 0;
    let headers = 0;
    for (const file of files) {
        const source = await readFile(file);
        bytes += source.length;
        const mail = await simpleParser(source, parserOptions);
        headers += mail.headers.size;
        textChars += (mail.text || '').length + (typeof mail.html === 'string' ? mail.html.length : 0);
        for (const attachment of mail.attachments) {
            attachments++;
            attachmentBytes += attachment.content.length;
        }
    }
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const used = process.cpuUsage(cpu);
    const cpuMs = (used.user + used.system) / 1e3;
    return { ms, cpuMs, messages: files.length, bytes, attachments, attachmentBytes, textChars, headers };
}

function imapClient(request, logger = false) {
    return new ImapFlow({
        host: request.host,
        port: request.port,
        secure: false,
        doSTARTTLS: true,
        tls: { ca: [request.ca], servername: 'localhost' },
        auth: { user: request.user, pass: request.pass },
        logger,
    });
}

// Timestamps every event imapflow logs at debug and info level (command sent, response received, TCP and TLS
// established): its own debug logger is the only view of its phases without patching it. Formatting a log line per
// command costs imapflow a few microseconds; the first page takes tens of milliseconds.
function phaseRecorder(started) {
    const events = [];
    const at = () => Number(process.hrtime.bigint() - started) / 1e6;
    const record = entry => events.push({ t: at(), src: entry?.src, msg: String(entry?.msg ?? '') });
    return { events, logger: { debug: record, info: record, warn: () => {}, error: () => {}, trace: () => {} } };
}

// Phases named like the .NET side's: tcp, greeting, then one per command from the end of the previous phase to the
// command's tagged answer (so client work before sending is included), "tls" from the STARTTLS answer to the end of
// the handshake. Commands sent more than once (CAPABILITY) are summed.
function phasesOf(events, end) {
    const phases = {};
    const add = (name, ms) => { phases[name] = (phases[name] ?? 0) + ms; };
    const tags = new Map();
    let previous = 0;
    let greeted = false;
    for (const event of events) {
        if (event.msg.startsWith('Established TCP')) {
            add('tcp', event.t - previous);
            previous = event.t;
        } else if (event.src === 'tls') {
            add('tls', event.t - previous);
            previous = event.t;
        } else if (event.src === 'c') {
            const [tag, verb, second] = event.msg.split(' ');
            const name = verb === 'UID' ? second : verb;
            if (name) {
                tags.set(tag, name.toLowerCase());
            }
        } else if (event.src === 's') {
            if (!greeted && event.msg.startsWith('* OK')) {
                greeted = true;
                add('greeting', event.t - previous);
                previous = event.t;
                continue;
            }
            const tag = event.msg.split(' ')[0];
            if (tags.has(tag)) {
                const name = tags.get(tag);
                add(name === 'examine' ? 'select' : name, event.t - previous);
                previous = event.t;
                tags.delete(tag);
            }
        }
    }
    if (end > previous) {
        add('other', end - previous);
    }
    return phases;
}

async function imapFirst(request) {
    const cpu = process.cpuUsage();
    const started = process.hrtime.bigint();
    const recorder = phaseRecorder(started);
    const client = imapClient(request, recorder.logger);
    await client.connect();
    const connected = process.hrtime.bigint();
    const mailbox = await client.mailboxOpen('INBOX');
    const opened = process.hrtime.bigint();
    const first = Math.max(1, mailbox.exists - 49);
    const page = await client.fetchAll(`${first}:*`, { uid: true, flags: true, envelope: true, internalDate: true, size: true, bodyStructure: true });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const used = process.cpuUsage(cpu);
    const connectMs = Number(connected - started) / 1e6;
    const selectMs = Number(opened - connected) / 1e6;
    const tls = client.tls ? `${client.tls.version} ${client.tls.standardName || client.tls.name}` : 'none';
    await client.logout();
    const phases = phasesOf(recorder.events.filter(event => event.t <= ms), ms);
    const steps = Object.entries(phases).map(([name, value]) => `${name} ${value.toFixed(1)}`).join(', ');
    return { ms, connectMs, cpuMs: (used.user + used.system) / 1e3, count: page.length, steps, phases, tls, selectMs };
}

async function imapSync(request) {
    const client = imapClient(request);
    await client.connect();
    await client.mailboxOpen('INBOX');
    const cpu = process.cpuUsage();
    const started = process.hrtime.bigint();
    const all = await client.fetchAll('1:*', { uid: true, flags: true, envelope: true, internalDate: true, size: true }, { uid: true });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const used = process.cpuUsage(cpu);
    const cpuMs = (used.user + used.system) / 1e3;
    let seen = 0;
    for (const message of all) {
        if (message.flags.has('\\Seen')) {
            seen++;
        }
    }
    await client.logout();
    return { ms, cpuMs, count: all.length, seen, rss: process.memoryUsage().rss };
}

const operations = { 'mime': mime, 'imap-first': imapFirst, 'imap-sync': imapSync };
const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
    if (line.trim().length === 0) {
        continue;
    }
    let answer;
    try {
        const request = JSON.parse(line);
        const operation = operations[request.op];
        answer = operation ? await operation(request) : { error: `unknown op ${request.op}` };
    } catch (error) {
        answer = { error: String(error?.stack ?? error) };
    }
    process.stdout.write(JSON.stringify(answer) + '\n');
}
