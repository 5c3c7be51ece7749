"""A TLS test server on 127.0.0.1 for the JWKS tests.

Usage: https_server.py CERT KEY JWKS_FILE REDIRECT_URL
Serves JWKS_FILE at /jwks.json and redirects /downgrade to REDIRECT_URL (an http:// URL).
Prints the port on the first line of standard output, then serves until its standard input closes
(the test that started it ended), it is killed, or 120 s pass.
"""
import http.server
import os
import ssl
import sys
import threading

cert, key, jwks_file, redirect_url = sys.argv[1:5]
with open(jwks_file, "rb") as f:
    jwks = f.read()


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/downgrade":
            self.send_response(302)
            self.send_header("Location", redirect_url)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(jwks)))
        self.end_headers()
        self.wfile.write(jwks)

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(cert, key)
server.socket = context.wrap_socket(server.socket, server_side=True)
print(server.server_address[1], flush=True)
threading.Timer(120, lambda: os._exit(0)).start()
threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()
server.serve_forever()
