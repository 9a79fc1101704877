"""A headless Chromium driven over the Chrome DevTools Protocol.

Just enough of CDP for an end-to-end test — open a page, evaluate script,
click where a person would, type, take a screenshot — over the ``websockets``
package the server already depends on, so browser tests need Debian's
``chromium`` and nothing from PyPI beyond what is installed.
"""

from __future__ import annotations

import base64
import itertools
import json
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from websockets.sync.client import ClientConnection, connect

FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--window-size=1280,900",
    "--remote-debugging-port=0",
)
START_TIMEOUT = 30.0
COMMAND_TIMEOUT = 30.0


class BrowserError(RuntimeError):
    pass


def chromium_binary() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


class Page:
    """One tab, attached with a flat CDP session."""

    def __init__(self, socket: ClientConnection, session_id: str) -> None:
        self._socket = socket
        self._session_id = session_id
        self._ids = itertools.count(1_000)

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        return _call(self._socket, self._ids, method, params, self._session_id)

    def goto(self, url: str) -> None:
        self.send("Page.navigate", url=url)

    def evaluate(self, expression: str) -> Any:
        reply = self.send(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True
        )
        if "exceptionDetails" in reply:
            raise BrowserError(f"script failed: {reply['exceptionDetails']}")
        return reply["result"].get("value")

    def wait_for(self, expression: str, *, timeout: float = 30.0, what: str | None = None) -> Any:
        """Evaluates ``expression`` until it is truthy; returns that value."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.evaluate(expression)
            if value:
                return value
            if time.monotonic() > deadline:
                raise BrowserError(
                    f"timed out after {timeout:.0f} s waiting for {what or expression}"
                )
            time.sleep(0.2)

    def click(self, selector: str) -> None:
        """A real mouse click at the middle of the element, as a person would."""
        box = self.evaluate(
            f"(() => {{ const r = document.querySelector({json.dumps(selector)})"
            ".getBoundingClientRect(); return {x: r.x + r.width / 2, y: r.y + r.height / 2}; })()"
        )
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.send(
                "Input.dispatchMouseEvent",
                type=kind,
                x=box["x"],
                y=box["y"],
                button="left" if kind != "mouseMoved" else "none",
                clickCount=1 if kind != "mouseMoved" else 0,
            )

    def type_text(self, text: str) -> None:
        """Text as the keyboard's input method delivers it to the focused element."""
        self.send("Input.insertText", text=text)

    def screenshot(self, path: Path) -> Path:
        data = self.send("Page.captureScreenshot", format="png")["data"]
        path.write_bytes(base64.b64decode(data))
        return path


@contextmanager
def open_page(profile_dir: Path, *, binary: str) -> Iterator[Page]:
    """A fresh headless Chromium with one blank tab; the browser is ended afterwards."""
    profile_dir.mkdir(parents=True, exist_ok=True)
    log = (profile_dir / "chromium.log").open("wb")
    process = subprocess.Popen(
        [binary, *FLAGS, f"--user-data-dir={profile_dir}", "about:blank"],
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        url = _devtools_url(profile_dir, process.poll)
        with connect(url, max_size=64 * 2**20, open_timeout=COMMAND_TIMEOUT) as socket:
            ids = itertools.count(1)
            target = _call(socket, ids, "Target.createTarget", {"url": "about:blank"})
            attached = _call(
                socket,
                ids,
                "Target.attachToTarget",
                {"targetId": target["targetId"], "flatten": True},
            )
            page = Page(socket, attached["sessionId"])
            page.send("Page.enable")
            page.send("Runtime.enable")
            page.send(
                "Emulation.setDeviceMetricsOverride",
                width=1280,
                height=900,
                deviceScaleFactor=1,
                mobile=False,
            )
            yield page
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()


def _devtools_url(profile_dir: Path, exited: Callable[[], int | None]) -> str:
    """Chromium writes its chosen debugging port and browser path to DevToolsActivePort."""
    marker = profile_dir / "DevToolsActivePort"
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if exited() is not None:
            raise BrowserError(f"chromium exited early; see {profile_dir / 'chromium.log'}")
        lines = marker.read_text().split() if marker.exists() else []
        if len(lines) >= 2:
            return f"ws://127.0.0.1:{lines[0]}{lines[1]}"
        time.sleep(0.1)
    raise BrowserError(f"chromium did not open its debugging port within {START_TIMEOUT:.0f} s")


def _call(
    socket: ClientConnection,
    ids: Iterator[int],
    method: str,
    params: dict[str, Any],
    session_id: str | None = None,
) -> dict[str, Any]:
    """Sends one command and returns its result, skipping the events in between."""
    message_id = next(ids)
    message: dict[str, Any] = {"id": message_id, "method": method, "params": params}
    if session_id is not None:
        message["sessionId"] = session_id
    socket.send(json.dumps(message))
    deadline = time.monotonic() + COMMAND_TIMEOUT
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise BrowserError(f"no answer to {method} within {COMMAND_TIMEOUT:.0f} s")
        reply = json.loads(socket.recv(timeout=remaining))
        if reply.get("id") != message_id:
            continue
        if "error" in reply:
            raise BrowserError(f"{method} failed: {reply['error']}")
        result: dict[str, Any] = reply.get("result", {})
        return result
