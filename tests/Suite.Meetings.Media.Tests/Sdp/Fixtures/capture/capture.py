#!/usr/bin/env python3
"""Serves offer.html on 127.0.0.1 (a secure origin for getUserMedia), runs headless Chromium with a fake camera and
microphone, and writes each SDP the page posts into the fixtures folder. Usage: python3 capture.py [chromium path].

With --interop DIR it loads answer.html instead: the page's offer is written to DIR/offer.sdp, and the page waits for
the SFU's DIR/answer.sdp and DIR/sub-offer.sdp (written by the library out of band) to check that Chromium accepts them."""
import http.server, os, subprocess, sys, tempfile, threading

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.dirname(HERE)
done = threading.Event()

interop = None
if '--interop' in sys.argv:
    i = sys.argv.index('--interop')
    interop = sys.argv[i + 1]
    del sys.argv[i:i + 2]

class Handler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *a, **k):
        super().__init__(*a, directory=HERE, **k)

    def do_POST(self):
        name = os.path.basename(self.path)
        body = self.rfile.read(int(self.headers['Content-Length'])).decode()
        self.send_response(204)
        self.end_headers()
        if name == 'done':
            print('user agent:', body)
            done.set()
        elif name == 'error':
            print('page error:', body)
            done.set()
        elif name == 'interop-offer.sdp':
            with open(os.path.join(interop, 'offer.sdp'), 'w', newline='') as f:
                f.write(body)
        else:
            with open(os.path.join(OUT, name), 'w', newline='') as f:
                f.write(body)
            print('wrote', name)

    def do_GET(self):
        if interop and self.path.startswith('/interop/'):
            path = os.path.join(interop, os.path.basename(self.path))
            if not os.path.exists(path):
                self.send_response(404)
                self.end_headers()
                return
            body = open(path, 'rb').read()
            self.send_response(200)
            self.send_header('Content-Length', str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def log_message(self, *args):
        pass

server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
threading.Thread(target=server.serve_forever, daemon=True).start()
chromium = sys.argv[1] if len(sys.argv) > 1 else '/usr/bin/chromium'
profile = tempfile.mkdtemp()
browser = subprocess.Popen([chromium, '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync', f'--user-data-dir={profile}',
    '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
    f'http://127.0.0.1:{server.server_port}/{"answer" if interop else "offer"}.html'], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
ok = done.wait(180)
browser.terminate()
browser.wait()
server.shutdown()
sys.exit(0 if ok else 1)
