"""Fixtures for translation tests: a DeepL imitation on loopback, and requests built
through the services."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

API_KEY = "test-key:fx"


class FakeDeepL(ThreadingHTTPServer):
    """A tiny server that answers POST /v2/translate as DeepL does. It "translates" by
    a phrase book and otherwise tags the text with the target language, keeping
    <x id="n"/> tags where they are; `mode` makes it fail the ways DeepL can."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.mode = "ok"
        self.received: list[dict] = []
        self.phrase_book: dict[tuple[str, str], str] = {}
        self.on_request = None  # called with nothing as each request arrives

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: FakeDeepL

    def log_message(self, *args):
        pass

    def do_POST(self):
        if self.server.on_request is not None:
            self.server.on_request()
        length = int(self.headers.get("Content-Length", "0"))
        body = json.loads(self.rfile.read(length) or b"{}")
        self.server.received.append(
            {"path": self.path, "authorization": self.headers.get("Authorization"), **body}
        )
        if self.path != "/v2/translate":
            return self._answer(404, {"message": "Not found"})
        if self.headers.get("Authorization") != f"DeepL-Auth-Key {API_KEY}":
            return self._answer(403, {"message": "Authorization failed"})
        if self.server.mode == "quota":
            return self._answer(456, {"message": "Quota exceeded"})
        if self.server.mode == "down":
            return self._answer(503, {"message": "Service unavailable"})
        target = body["target_lang"]
        texts = body["text"]
        if self.server.mode == "drop_tags":
            texts = [text.split("<x")[0] for text in texts]
        translations = [
            {
                "detected_source_language": body.get("source_lang", "EN"),
                "text": self.server.phrase_book.get((text, target), f"[{target}] {text}"),
            }
            for text in texts
        ]
        return self._answer(200, {"translations": translations})

    def _answer(self, status: int, payload: dict):
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def deepl(settings):
    server = FakeDeepL()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.TANDEM_TRANSLATION_PROVIDER = "deepl"
    settings.TANDEM_TRANSLATION_API_KEY = API_KEY
    settings.TANDEM_TRANSLATION_API_URL = server.url
    settings.TANDEM_TRANSLATION_TIMEOUT_SECONDS = 5
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)
