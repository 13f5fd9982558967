"""Sign-in, tried as an attacker would: tokens that outlive a removed user, a sign-out, a password change or
their lifetime; passwords kept unsalted. Against a real `auteur ui` (Chainlit) over HTTP and Socket.IO.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

import jwt
import pytest
from hypothesis import given, settings, strategies as st

from config.settings import Settings
from tests.browser.conftest import AUTEUR, Server, artifacts_dir
from ui.web.passwords import BadHash, Verifier, hash_password, verify

ANN, BOB = "ann", "bob"
ANN_PW, BOB_PW = "s3cret-ann", "b0b-pass"


# ---------------------------------------------------------------- a client that keeps a cookie


def sign_in(server: Server, user: str, password: str) -> str | None:
    """POST /login as the page does; the token of the cookie it sets, None when refused."""
    body = urllib.parse.urlencode({"username": user, "password": password}).encode()
    request = urllib.request.Request(server.url + "/login", data=body, method="POST",
                                     headers={"Content-Type": "application/x-www-form-urlencoded",
                                              "Origin": server.url})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            cookies = response.headers.get_all("Set-Cookie") or []
    except urllib.error.HTTPError as exc:
        assert exc.code == 401, exc.code
        return None
    tokens = [c.split(";")[0].split("=", 1)[1] for c in cookies if c.startswith("access_token=")]
    assert tokens, cookies
    return tokens[0]


def status(server: Server, path: str, token: str, *, method: str = "GET", bearer: bool = False) -> int:
    headers = {"Authorization": f"Bearer {token}"} if bearer else {"Cookie": f"access_token={token}"}
    headers["Origin"] = server.url  # as the studio's own page sends it
    request = urllib.request.Request(server.url + path, method=method, headers=headers,
                                     data=b"" if method == "POST" else None)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def who(server: Server, token: str) -> str | None:
    request = urllib.request.Request(server.url + "/user", headers={"Cookie": f"access_token={token}",
                                                                      "Origin": server.url})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())["identifier"]
    except urllib.error.HTTPError:
        return None


def socket_opens(server: Server, token: str) -> bool:
    """Whether Chainlit's Socket.IO accepts a connection with this token in its cookie: the Engine.IO
    handshake over HTTP polling, then Socket.IO's CONNECT packet, answered CONNECT (40) or CONNECT_ERROR (44)."""
    headers = {"Cookie": f"access_token={token}", "Origin": server.url}
    base = server.url + "/ws/socket.io/?EIO=4&transport=polling"

    def call(url: str, data: bytes | None = None) -> str:
        request = urllib.request.Request(url, data=data, headers={**headers, "Content-Type": "text/plain"},
                                         method="POST" if data is not None else "GET")
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.read().decode()

    opened = call(base)
    assert opened.startswith("0"), opened
    sid = json.loads(opened[1:])["sid"]
    auth = {"sessionId": str(uuid.uuid4()), "clientType": "webapp"}
    call(f"{base}&sid={sid}", b"40" + json.dumps(auth).encode())
    answer = call(f"{base}&sid={sid}")
    assert answer.startswith(("40", "44")), answer
    return answer.startswith("40")


def refused(server: Server, token: str) -> bool:
    """Every way a token is read refuses it: the routes (cookie and bearer), /auth/jwt and the socket."""
    answers = {"/user": status(server, "/user", token), "/user bearer": status(server, "/user", token, bearer=True),
               "/auth/jwt": status(server, "/auth/jwt", token, method="POST", bearer=True),
               "/project/settings": status(server, "/project/settings?language=en-US", token),
               "socket": 200 if socket_opens(server, token) else 401}
    assert answers == dict.fromkeys(answers, 401), answers
    return True


def accepted(server: Server, token: str, user: str) -> bool:
    return who(server, token) == user and status(server, "/project/settings?language=en-US", token) == 200 \
        and socket_opens(server, token)


@pytest.fixture
def artifacts():
    return artifacts_dir()


def studio(workspace, log, **env: str) -> Server:
    server = Server(workspace, log, **{"AUTEUR_SESSION_HOURS": "", **env})
    server.start()
    server.wait_ready()
    return server


def password_hash(password: str) -> str:
    out = subprocess.run([str(AUTEUR), "password-hash"], input=password + "\n", capture_output=True, text=True,
                         timeout=60, check=True).stdout.strip()
    return out.splitlines()[-1]


# ---------------------------------------------------------------- the attacks


def test_a_removed_user_s_old_token_is_refused_after_a_restart(tmp_path, artifacts):
    workspace = tmp_path / "workspace"
    users = f"{ANN}:{ANN_PW},{BOB}:{BOB_PW}"
    server = studio(workspace, artifacts / "sign_in_remove_1.log", AUTEUR_USERS=users)
    try:
        assert sign_in(server, BOB, "wrong") is None
        bob, ann = sign_in(server, BOB, BOB_PW), sign_in(server, ANN, ANN_PW)
        assert bob and ann and accepted(server, bob, BOB) and accepted(server, ann, ANN)
    finally:
        server.stop()
    server = studio(workspace, artifacts / "sign_in_remove_2.log", AUTEUR_USERS=f"{ANN}:{ANN_PW}")
    try:
        assert refused(server, bob), "Bob left AUTEUR_USERS: his cookie must not open the studio any more"
        assert accepted(server, ann, ANN), "a restart alone signs nobody out"
    finally:
        server.stop()


def test_signing_out_ends_the_token_even_when_the_cookie_is_replayed(tmp_path, artifacts):
    server = studio(tmp_path / "workspace", artifacts / "sign_in_logout.log",
                    AUTEUR_USERS=f"{ANN}:{ANN_PW},{BOB}:{BOB_PW}")
    try:
        laptop, phone = sign_in(server, BOB, BOB_PW), sign_in(server, BOB, BOB_PW)
        ann = sign_in(server, ANN, ANN_PW)
        assert laptop and phone and ann and accepted(server, laptop, BOB) and accepted(server, phone, BOB)
        assert status(server, "/logout", laptop, method="POST") == 200
        assert refused(server, laptop), "the cookie of a signed-out browser, sent again, must be refused"
        assert refused(server, phone), "signing out ends the user's sign-ins in every browser"
        assert accepted(server, ann, ANN), "Bob's sign-out does not sign Ann out"
        again = sign_in(server, BOB, BOB_PW)
        assert again and accepted(server, again, BOB)
        # A stolen, already-ended token cannot sign Bob out again.
        assert status(server, "/logout", laptop, method="POST") == 200
        assert accepted(server, again, BOB)
    finally:
        server.stop()


def test_a_new_password_ends_the_old_sign_ins_and_the_hash_form_signs_in(tmp_path, artifacts):
    workspace = tmp_path / "workspace"
    first, second = password_hash(BOB_PW), password_hash(BOB_PW)
    assert first != second, "each hash has its own salt"
    assert first.startswith("scrypt:") and verify(BOB_PW, first) and not verify("b0b-pas", first)
    server = studio(workspace, artifacts / "sign_in_password_1.log", AUTEUR_USERS=f"{ANN}:{ANN_PW},{BOB}:{first}")
    try:
        assert sign_in(server, BOB, first) is None, "the hash is not a password"
        assert sign_in(server, BOB, "B0B-pass") is None
        old = sign_in(server, BOB, BOB_PW)
        assert old and accepted(server, old, BOB)
    finally:
        server.stop()
    new_hash = password_hash("n3w-b0b")
    server = studio(workspace, artifacts / "sign_in_password_2.log", AUTEUR_USERS=f"{ANN}:{ANN_PW},{BOB}:{new_hash}")
    try:
        assert refused(server, old), "a password change ends the sign-ins made with the old one"
        assert sign_in(server, BOB, BOB_PW) is None
        new = sign_in(server, BOB, "n3w-b0b")
        assert new and accepted(server, new, BOB)
    finally:
        server.stop()


def test_tokens_last_session_hours_and_older_or_unsealed_tokens_are_refused(tmp_path, artifacts):
    workspace = tmp_path / "workspace"
    server = studio(workspace, artifacts / "sign_in_lifetime.log", AUTEUR_USERS=f"{BOB}:{BOB_PW}",
                    AUTEUR_SESSION_HOURS="2")
    try:
        token = sign_in(server, BOB, BOB_PW)
        claims = jwt.decode(token, options={"verify_signature": False})
        assert claims["exp"] - claims["iat"] == 2 * 3600
        key = (workspace / ".auteur" / "chainlit" / "auth_secret").read_text().strip()
        now = int(time.time())
        # The same seal, signed with the server's own key, issued three hours ago under a longer lifetime.
        stale = jwt.encode({**claims, "iat": now - 3 * 3600, "exp": now + 3600}, key, algorithm="HS256")
        assert refused(server, stale)
        # A token as the studio issued them before (no seal), with a valid signature.
        unsealed = jwt.encode({"identifier": BOB, "display_name": None, "iat": now, "exp": now + 3600,
                               "metadata": {"provider": "password", "own_folder": True}}, key, algorithm="HS256")
        assert refused(server, unsealed)
        assert accepted(server, token, BOB)
        keys = workspace / ".auteur" / "sign_in"
        assert keys.stat().st_mode & 0o077 == 0
        assert all(path.stat().st_mode & 0o077 == 0 for path in keys.iterdir())
    finally:
        server.stop()


def test_the_shared_password_takes_the_hash_form_and_a_change_ends_its_sign_ins(tmp_path, artifacts):
    workspace = tmp_path / "workspace"
    server = studio(workspace, artifacts / "sign_in_shared_1.log", AUTEUR_PASSWORD=password_hash("together"))
    try:
        assert sign_in(server, "dana", "wrong") is None
        token = sign_in(server, "dana", "together")
        assert token and accepted(server, token, "dana")
    finally:
        server.stop()
    server = studio(workspace, artifacts / "sign_in_shared_2.log", AUTEUR_PASSWORD="apart")
    try:
        assert refused(server, token)
        assert sign_in(server, "dana", "apart")
    finally:
        server.stop()


# ---------------------------------------------------------------- the stored passwords


@settings(max_examples=25, deadline=None)
@given(st.text(min_size=1, max_size=40), st.text(min_size=1, max_size=40))
def test_a_password_verifies_only_against_its_own_salted_hash(password, other):
    stored = hash_password(password, n=2**4)
    assert verify(password, stored)
    assert hash_password(password, n=2**4) != stored
    assert verify(other, stored) == (other == password)
    assert hashlib.sha256(password.encode()).hexdigest() not in stored


@pytest.mark.parametrize("broken", ["scrypt:", "scrypt:n=16384:r=8:p=1:abc", "scrypt:n=3:r=8:p=1:AAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAA",
                                    "scrypt:n=1073741824:r=8:p=1:AAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAA",
                                    "scrypt:n=16384:r=8:p=1:!!:AAAAAAAAAAAAAAAAAAAAAA", "sha256:xyz"])
def test_an_unreadable_hash_is_refused_not_trusted(broken):
    with pytest.raises(BadHash):
        Verifier.from_setting(broken)


def test_plain_and_old_sha256_settings_still_sign_in_but_are_never_kept_plain():
    plain = Verifier.from_setting("hunter2")
    assert plain.stored.startswith("scrypt:") and "hunter2" not in plain.stored
    assert plain.matches("hunter2") and not plain.matches("hunter3")
    legacy = Verifier.from_setting("sha256:" + hashlib.sha256(b"hunter2").hexdigest())
    assert legacy.matches("hunter2") and not legacy.matches("hunter3")


def test_session_hours_default_to_twelve_and_take_a_positive_number():
    assert Settings.from_env({}).session_hours == 12
    assert Settings.from_env({"AUTEUR_SESSION_HOURS": "0.5"}).session_hours == 0.5
    for bad in ("0", "-3", "soon", "nan"):
        assert Settings.from_env({"AUTEUR_SESSION_HOURS": bad}).session_hours == 12


def test_password_hash_never_takes_the_password_from_the_command_line():
    result = subprocess.run([str(AUTEUR), "password-hash", "hunter2"], input="", capture_output=True, text=True,
                            timeout=60)
    assert result.returncode != 0 and "scrypt:" not in result.stdout
