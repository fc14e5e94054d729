"""A small GOV.UK Notify for the tests: an HTTP server on 127.0.0.1 in a thread, speaking the
part of Notify's v2 API that OpenIPS uses, so the real client library is what the tests drive.

- POST /v2/notifications/sms and /v2/notifications/email: 201 with the body Notify documents
  (id, reference, content, uri, template), after the checks Notify makes: a JWT in
  `Authorization: Bearer` signed HS256 with the key's secret, `iss` the service id, `iat` within
  30 seconds (403 AuthError otherwise); a UK mobile number or an email address, a known
  template and every one of its placeholders (400 ValidationError / BadRequestError).
- GET /v2/notifications?reference=…: the notifications made with that reference.
- Told to, it answers the next requests 429 or 500 without creating anything, or creates the
  notification and then drops the connection without answering (a lost response).

Every notification it created is kept in `created`, in order.
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

import jwt

CLOCK_BOUND = 30  # seconds either way, as Notify allows
UK_MOBILE = re.compile(r"\A(?:\+44|0044|0)7\d{9}\Z")
EMAIL = re.compile(r"\A[^@\s]+@[^@\s]+\.[^@\s]+\Z")
ERRORS = {
    429: (
        "RateLimitError",
        "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds",
    ),
    500: ("Exception", "Internal server error"),
}


@dataclass
class FakeNotify:
    templates: dict[str, tuple[str, ...]] = field(default_factory=dict)  # id: placeholders
    service_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    secret: str = field(default_factory=lambda: str(uuid.uuid4()))
    delay: float = 0.0  # seconds each send takes, to make runs overlap
    created: list[dict[str, Any]] = field(default_factory=list)
    requests: int = 0  # every POST that reached it, answered or not

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._next: deque[int] = deque()  # statuses to answer the next sends with (0: drop)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def api_key(self) -> str:
        """As Notify gives one out: a name, the service id and the secret."""
        return f"openips_tests-{self.service_id}-{self.secret}"

    def start(self) -> FakeNotify:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def fail_next(self, status: int, times: int = 1) -> None:
        """Answer the next `times` sends with 429 or 500, creating nothing."""
        with self._lock:
            self._next.extend([status] * times)

    def drop_next(self) -> None:
        """Create the next notification, then close the connection without answering."""
        with self._lock:
            self._next.append(0)

    # The work of one request, under the lock so concurrent sends are counted one at a time.

    def _planned(self) -> int | None:
        with self._lock:
            self.requests += 1
            return self._next.popleft() if self._next else None

    def _create(self, kind: str, body: dict[str, Any]) -> dict[str, Any]:
        notification_id = str(uuid.uuid4())
        template_id = body["template_id"]
        base = "https://api.notifications.service.gov.uk"
        content: dict[str, Any] = {"body": f"Message from template {template_id}"}
        if kind == "sms":
            content["from_number"] = "OpenIPS"
        else:
            content |= {"subject": "OpenIPS", "from_email": "openips@notifications.service.gov.uk"}
        answer = {
            "id": notification_id,
            "reference": body.get("reference"),
            "content": content,
            "uri": f"{base}/v2/notifications/{notification_id}",
            "template": {
                "id": template_id,
                "version": 1,
                "uri": f"{base}/v2/template/{template_id}",
            },
        }
        with self._lock:
            self.created.append(
                {
                    "id": notification_id,
                    "type": kind,
                    "to": body.get("phone_number") or body.get("email_address"),
                    "template_id": template_id,
                    "personalisation": body.get("personalisation") or {},
                    "reference": body.get("reference"),
                }
            )
        return answer

    def authorised(self, header: str) -> str | None:
        """None if the bearer token is good; otherwise Notify's message for what is wrong."""
        if not header.startswith("Bearer "):
            return "Unauthorized: authentication token must be provided"
        token = header.removeprefix("Bearer ")
        try:
            claims = jwt.decode(
                token,
                self.secret,
                algorithms=["HS256"],
                options={"verify_iat": False, "require": ["iss", "iat"]},
            )
        except jwt.PyJWTError:
            return "Invalid token: signature, api token not found"
        if claims["iss"] != self.service_id:
            return "Invalid token: service not found"
        if abs(time.time() - int(claims["iat"])) > CLOCK_BOUND:
            return "Error: Your system clock must be accurate to within 30 seconds"
        return None

    def problems(self, kind: str, body: dict[str, Any]) -> tuple[str, str] | None:
        """Notify's first objection to a send, as (error, message), or None."""
        if kind == "sms":
            number = re.sub(r"[\s()-]", "", str(body.get("phone_number", "")))
            if not UK_MOBILE.match(number):
                return ("ValidationError", "phone_number Not a UK mobile number")
        elif not EMAIL.match(str(body.get("email_address", ""))):
            return ("ValidationError", "email_address Not a valid email address")
        template_id = str(body.get("template_id", ""))
        try:
            uuid.UUID(template_id)
        except ValueError:
            return ("ValidationError", "template_id is not a valid UUID")
        if self.templates and template_id not in self.templates:
            return ("BadRequestError", "Template not found")
        given = body.get("personalisation") or {}
        missing = [name for name in self.templates.get(template_id, ()) if name not in given]
        if missing:
            return ("BadRequestError", f"Missing personalisation: {', '.join(missing)}")
        return None


def _handler(notify: FakeNotify) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass  # quiet in the test output

        def _answer(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _error(self, status: int, error: str, message: str) -> None:
            errors = [{"error": error, "message": message}]
            self._answer(status, {"status_code": status, "errors": errors})

        def _signed_in(self) -> bool:
            wrong = notify.authorised(self.headers.get("Authorization", ""))
            if wrong:
                self._error(403, "AuthError", wrong)
            return wrong is None

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            kind = {"/v2/notifications/sms": "sms", "/v2/notifications/email": "email"}.get(
                urlparse(self.path).path
            )
            if kind is None:
                return self._error(404, "NotFound", "Not Found")
            planned = notify._planned()
            if notify.delay:
                time.sleep(notify.delay)
            if not self._signed_in():
                return None
            if planned in ERRORS:
                return self._error(planned, *ERRORS[planned])
            try:
                body = json.loads(raw)
            except ValueError:
                return self._error(400, "ValidationError", "Invalid JSON supplied in POST data")
            if problem := notify.problems(kind, body):
                return self._error(400, *problem)
            answer = notify._create(kind, body)
            if planned == 0:  # made, but the answer is lost on the way back
                self.close_connection = True
                self.connection.close()
                return None
            return self._answer(201, answer)

        def do_GET(self) -> None:
            url = urlparse(self.path)
            if url.path != "/v2/notifications":
                return self._error(404, "NotFound", "Not Found")
            if not self._signed_in():
                return None
            reference = parse_qs(url.query).get("reference", [None])[0]
            found = [
                {"id": n["id"], "reference": n["reference"], "type": n["type"], "status": "created"}
                for n in notify.created
                if reference is None or n["reference"] == reference
            ]
            return self._answer(200, {"notifications": found, "links": {"current": self.path}})

    return Handler
