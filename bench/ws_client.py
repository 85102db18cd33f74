"""A small client that speaks Streamlit's websocket protocol, for the benchmarks and the
deployment test: no browser, localhost only, every wait bounded.

A session is what a browser tab is: an HTTP request first (the page, which sets the load
balancer's affinity cookie and Streamlit's XSRF cookie), then a websocket to /_stcore/stream on
which the client asks for script runs (BackMsg.rerun_script with the URL's query string and the
page) and reads ForwardMsgs until `script_finished`.

    async with Session("http://127.0.0.1:8501") as s:
        run = await s.run("overview", "plan=1&review=4")
        run.seconds, run.texts()   # wall time of the run, and the text it drew
"""

from __future__ import annotations

import asyncio
import http.client
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

RUN_TIMEOUT_S = 120.0
FINISHED_OK = {
    ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY,
    ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN,
}


def _local(url: str) -> urllib.parse.SplitResult:
    parts = urllib.parse.urlsplit(url)
    if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise ValueError(f"this client only talks to this machine, not {parts.hostname}")
    return parts


def http_get(url: str, cookies: dict[str, str] | None = None, timeout: float = 30) -> tuple[int, dict, bytes]:
    """GET `url` (localhost); returns (status, headers with lower-case names, body). Set-Cookie
    values are merged into `cookies` when given."""
    parts = _local(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())} if cookies else {}
        connection.request("GET", parts.path + (f"?{parts.query}" if parts.query else "") or "/", headers=headers)
        response = connection.getresponse()
        body = response.read()
        if cookies is not None:
            for value in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(value).items():
                    cookies[name] = morsel.value
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    finally:
        connection.close()


@dataclass
class Run:
    """One script run as the client saw it."""

    seconds: float
    status: int
    messages: list = field(repr=False, default_factory=list)  # every ForwardMsg of the run
    bytes_received: int = 0

    @property
    def ok(self) -> bool:
        return self.status in FINISHED_OK

    def texts(self) -> str:
        """The text of markdown, headings, metrics, html and other text elements drawn, joined
        (enough to check what a page showed)."""
        out = []
        for msg in self.messages:
            if msg.WhichOneof("type") != "delta" or msg.delta.WhichOneof("type") != "new_element":
                continue
            element = msg.delta.new_element
            kind = element.WhichOneof("type")
            proto = getattr(element, kind, None)
            for name in ("body", "label", "body", "value", "title", "text"):
                value = getattr(proto, name, None) if proto is not None else None
                if isinstance(value, str) and value:
                    out.append(value)
            if kind == "selectbox" or kind == "multiselect":
                out.extend(proto.options)
        return "\n".join(out)


class Session:
    """One browser-tab-like session (see the module docstring)."""

    def __init__(self, base_url: str, *, cookies: dict[str, str] | None = None, timeout: float = RUN_TIMEOUT_S):
        parts = _local(base_url)
        self.base_url = base_url.rstrip("/")
        self.ws_url = f"ws://{parts.hostname}:{parts.port}/_stcore/stream"
        self.cookies: dict[str, str] = dict(cookies or {})
        self.timeout = timeout
        self.headers: dict = {}
        self.ws = None

    async def __aenter__(self) -> Session:
        await self.open()
        return self

    async def __aexit__(self, *exc) -> None:
        await self.close()

    async def open(self) -> None:
        # The page itself first, as a browser does: the load balancer's cookie and the XSRF cookie.
        status, self.headers, _ = await asyncio.to_thread(http_get, self.base_url + "/", self.cookies)
        if status != 200:
            raise ConnectionError(f"GET / answered {status}")
        xsrf = self.cookies.get("_streamlit_xsrf", "")
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        self.ws = await asyncio.wait_for(
            websockets.connect(
                self.ws_url,
                subprotocols=["streamlit", xsrf] if xsrf else ["streamlit"],
                additional_headers={"Cookie": cookie, "Origin": self.base_url} if cookie else {"Origin": self.base_url},
                max_size=None,
                open_timeout=self.timeout,
            ),
            self.timeout,
        )

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
            self.ws = None

    async def run(self, page: str = "", query_string: str = "") -> Run:
        """Ask for a run of `page` (its URL path, "" for the default page) with this query string,
        and read until it finishes."""
        back = BackMsg()
        back.rerun_script.query_string = query_string
        back.rerun_script.page_name = page
        start = time.perf_counter()
        await self.ws.send(back.SerializeToString())
        messages, received = [], 0
        deadline = start + self.timeout
        while True:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise TimeoutError(f"no script_finished within {self.timeout:g} s")
            data = await asyncio.wait_for(self.ws.recv(), remaining)
            received += len(data)
            msg = ForwardMsg()
            msg.ParseFromString(data)
            messages.append(msg)
            if msg.WhichOneof("type") == "script_finished":
                status = msg.script_finished
                if status == ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN:
                    continue  # the app asked for another run (e.g. st.rerun): keep reading
                return Run(time.perf_counter() - start, status, messages, received)
