"""Brute-force detection of the built-in issuer (as Keycloak's): repeated wrong passwords for
one name are slowed, then locked for a while with a clear Vietnamese message; even the right
password is refused while locked; a success resets; unknown names behave the same."""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin

import httpx
import pytest
from fastapi import FastAPI

from ktxh_platform.auth.demo_users import DEMO_USERS
from ktxh_platform.auth.dev_issuer import BruteForcePolicy, DevIssuer

BASE = "http://127.0.0.1:8000"
TOKEN = "/realms/ktxh/protocol/openid-connect/token"
AUTH = "/realms/ktxh/protocol/openid-connect/auth"
CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def http(clock: Clock):
    issuer = DevIssuer("ktxh", DEMO_USERS, password="demo", base_url=BASE, clock=clock,
                       brute_force=BruteForcePolicy(slow_after=3, lock_after=5, lock_seconds=300))
    app = FastAPI()
    app.include_router(issuer.router)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as client:
        yield client


async def _password(http: httpx.AsyncClient, username: str, password: str) -> httpx.Response:
    return await http.post(TOKEN, data={"grant_type": "password", "client_id": "ktxh-web",
                                        "username": username, "password": password})


async def _form(http: httpx.AsyncClient, username: str, password: str) -> httpx.Response:
    params = {"response_type": "code", "client_id": "ktxh-web", "scope": "openid",
              "redirect_uri": f"{BASE}/callback", "code_challenge": CHALLENGE,
              "code_challenge_method": "S256"}
    page = await http.get(AUTH, params=params)
    fields = {html.unescape(n): html.unescape(v) for n, v in
              re.findall(r'<input type="hidden" name="([^"]*)" value="([^"]*)">', page.text)}
    action = re.search(r'<form method="post" action="([^"]*)"', page.text).group(1)
    return await http.post(urljoin(str(page.url), action),
                           data={**fields, "username": username, "password": password})


async def test_failures_slow_down_then_lock_and_the_lock_expires(http, clock: Clock):
    for _ in range(2):
        assert (await _password(http, "nhap_lieu", "sai")).status_code == 401
    third = await _password(http, "nhap_lieu", "sai")  # 3rd failure: next attempt waits 1 s
    assert third.json()["error_description"] == "Invalid user credentials"
    slowed = await _password(http, "nhap_lieu", "demo")  # even the right one, too soon
    assert (slowed.status_code, slowed.json()["error_description"]) == (
        400, "Account temporarily disabled")
    clock.now += 1
    assert (await _password(http, "nhap_lieu", "sai")).status_code == 401  # 4th: wait 2 s
    clock.now += 2
    assert (await _password(http, "nhap_lieu", "sai")).status_code == 401  # 5th: locked 5 min
    clock.now += 299
    locked = await _password(http, "nhap_lieu", "demo")
    assert locked.json()["error_description"] == "Account temporarily disabled"
    page = await _form(http, "nhap_lieu", "demo")
    assert page.status_code == 429 and "location" not in page.headers
    assert ("Tài khoản tạm thời bị khóa do nhập sai mật khẩu nhiều lần. "
            "Vui lòng thử lại sau 1 phút.") in page.text
    assert (await _password(http, "admin", "demo")).status_code == 200  # other users unaffected
    clock.now += 1
    assert (await _password(http, "nhap_lieu", "demo")).status_code == 200  # lock over
    assert (await _password(http, "nhap_lieu", "sai")).status_code == 401  # count was reset
    assert (await _password(http, "nhap_lieu", "demo")).status_code == 200


async def test_the_login_page_says_how_long_to_wait(http, clock: Clock):
    for _ in range(3):
        page = await _form(http, "tong_hop", "sai")
        assert "Tên đăng nhập hoặc mật khẩu không đúng" in page.text
    page = await _form(http, "tong_hop", "demo")
    assert page.status_code == 429
    assert "Bạn đã nhập sai mật khẩu nhiều lần. Vui lòng chờ 1 giây rồi thử lại." in page.text


async def test_a_longer_lock_after_further_failures_and_unknown_names_alike(http, clock: Clock):
    for name in ("khong_co_ai", "admin"):
        for i in range(5):
            clock.now += 10
            assert (await _password(http, name, f"sai{i}")).status_code == 401
        clock.now += 300
        assert (await _password(http, name, "sai")).status_code == 401  # 6th: locked 10 min
        clock.now += 599
        assert (await _password(http, name, "demo")).json()["error_description"] == (
            "Account temporarily disabled")
    clock.now += 1
    assert (await _password(http, "admin", "demo")).status_code == 200
