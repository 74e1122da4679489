"""Shared fixtures: golden files, Prefect environment, corpus paths."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

# Before anything imports prefect (STYLE.md section 8, traps 5 and 6).
os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="pactwatch-prefect-"))
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ["PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW"] = "ignore"
os.environ.setdefault("PREFECT_API_ENABLE_HTTP2", "false")

PROJECT_ROOT = Path(__file__).resolve().parent.parent
GOLDEN_DIR = PROJECT_ROOT / "tests" / "golden"
SHARED_DIR = PROJECT_ROOT.parent / "shared"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="rewrite tests/golden files from actual output"
    )


@pytest.fixture
def golden(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """Compare text with tests/golden/<name>; --update-golden rewrites the file."""

    def check(name: str, actual: str) -> None:
        path = GOLDEN_DIR / name
        if request.config.getoption("--update-golden"):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8")
            return
        assert path.exists(), f"golden file {path} is missing; run pytest --update-golden"
        assert actual == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"

    return check


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The ../shared folder; tests that need it skip when it is absent."""
    if not SHARED_DIR.is_dir():
        pytest.skip(f"{SHARED_DIR} is absent")
    return SHARED_DIR


# --- smtp_inbox: a real aiosmtpd server on loopback (STYLE.md section 8, trap 19) ---


class SmtpInbox:
    """What the loopback SMTP server received, plus switches to make it refuse or demand a login."""

    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.port = port
        self.messages: list = []  # email.message.EmailMessage, parsed with policy.default
        self.envelopes: list = []  # (mail_from, rcpt_tos, message) per delivery
        self.logins: list = []  # user names that logged in
        self._refused: dict[str, str] = {}
        self._credentials: tuple[str, str] | None = None

    def refuse(self, address: str, code: int = 550, text: str = "mailbox unavailable") -> None:
        """Answer RCPT TO for ``address`` with ``code`` (550 permanent, 450 temporary, ...)."""
        self._refused[address.lower()] = f"{code} {text}"

    def require_login(self, user: str, password: str) -> None:
        """Accept AUTH only with these credentials (sending without AUTH stays allowed)."""
        self._credentials = (user, password)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        refusal = self._refused.get(address.lower())
        if refusal is not None:
            return refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        from email import policy
        from email.parser import BytesParser

        message = BytesParser(policy=policy.default).parsebytes(envelope.original_content)
        self.messages.append(message)
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        from aiosmtpd.smtp import AuthResult, LoginPassword

        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        user, password = auth_data.login.decode(), auth_data.password.decode()
        ok = self._credentials is None or self._credentials == (user, password)
        if ok:
            self.logins.append(user)
        return AuthResult(success=ok, handled=False)


def free_loopback_port() -> int:
    """Bind port 0, read the port the OS chose, release it (aiosmtpd cannot take port 0)."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_smtp_inbox(tls_context=None, port: int | None = None) -> Iterator[SmtpInbox]:  # type: ignore[no-untyped-def]
    """Run an aiosmtpd Controller on 127.0.0.1 and a free port; yield its SmtpInbox.

    With ``tls_context`` (an ssl.SSLContext) the server offers STARTTLS and requires it.
    """
    from aiosmtpd.controller import Controller

    inbox = SmtpInbox("127.0.0.1", port or free_loopback_port())
    controller = Controller(
        inbox,
        hostname=inbox.host,
        port=inbox.port,
        authenticator=inbox.authenticate,
        auth_require_tls=False,  # loopback test server: plain-text AUTH is fine here
        tls_context=tls_context,
        require_starttls=tls_context is not None,
    )
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def smtp_inbox() -> Iterator[SmtpInbox]:
    """A loopback SMTP server for one test."""
    with running_smtp_inbox() as inbox:
        yield inbox


@pytest.fixture
def smtp_servers():  # type: ignore[no-untyped-def]
    """Start servers inside a test: ``with smtp_servers(port=...) as inbox:`` (down, then up)."""
    return running_smtp_inbox


@pytest.fixture
def free_port() -> int:
    """A loopback port nothing listens on (yet)."""
    return free_loopback_port()


@pytest.fixture(scope="module")
def smtp_inbox_module() -> Iterator[SmtpInbox]:
    """A loopback SMTP server shared by one module's tests (the flow tests)."""
    with running_smtp_inbox() as inbox:
        yield inbox


def make_self_signed_certificate(folder: Path, host: str = "127.0.0.1") -> tuple[Path, Path]:
    """Write a self-signed certificate for ``host`` (an IP SAN) and its key; return both paths."""
    import ipaddress
    from datetime import UTC, datetime, timedelta

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "pactwatch test SMTP")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(host))]), False
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "smtp-cert.pem", folder / "smtp-key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@pytest.fixture
def smtp_tls_inbox(tmp_path: Path) -> Iterator[tuple[SmtpInbox, Path]]:
    """A loopback SMTP server that requires STARTTLS with a self-signed certificate.

    Yields the inbox and the certificate's path (the CA file a client must trust).
    """
    import ssl

    cert_path, key_path = make_self_signed_certificate(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_path, key_path)
    with running_smtp_inbox(tls_context=context) as inbox:
        yield inbox, cert_path
