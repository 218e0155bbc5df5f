"""Headless Chromium for obuka's browser tests and screenshots.

Runs under Debian's /usr/bin/python3 (python3-selenium) with Debian's chromium and chromedriver.
The server and its data directory come from the environment that Tests/browser/run sets:
OBUKA_TEST_URL (the running `obuka serve`), OBUKA_DATA (its data directory, with demo-logins.txt)
and OBUKA_BIN (the obuka binary, for checking the database from the CLI).
"""

import json
import os
import pathlib
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

REPO = pathlib.Path(__file__).resolve().parents[2]
BASE_URL = os.environ.get("OBUKA_TEST_URL", "http://127.0.0.1:8080").rstrip("/")
CHROMEDRIVER = os.environ.get("OBUKA_CHROMEDRIVER", "/usr/bin/chromedriver")
CHROMIUM = os.environ.get("OBUKA_CHROMIUM", "/usr/bin/chromium")
WAIT = 20  # seconds for one page or element


def data_dir():
    value = os.environ.get("OBUKA_DATA")
    if not value:
        raise RuntimeError("OBUKA_DATA is not set: run the browser tests with Tests/browser/run")
    return pathlib.Path(value)


def obuka_bin():
    value = os.environ.get("OBUKA_BIN") or ".build/debug/obuka"
    path = pathlib.Path(value)
    return path if path.is_absolute() else REPO / path


def passwords():
    """login -> password, from the `demo seed` file (lines `LOGIN PASSWORD ROLE`)."""
    result = {}
    for line in (data_dir() / "demo-logins.txt").read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 2:
            result[parts[0]] = parts[1]
    return result


def run_obuka(*args, input=None, now=None, extra_env=None):
    """Runs the obuka CLI against the server's data directory; returns the CompletedProcess (stdout, stderr, returncode).
    `now` sets the command's District clock (`YYYY-MM-DD HH:MM`), e.g. to record a session of next year after it ran;
    `extra_env` adds settings (e.g. a relay for `mail send`)."""
    env = dict(os.environ)
    env.update(extra_env or {})
    if now:
        env["OBUKA_NOW"] = now
    env["OBUKA_DATA"] = str(data_dir())
    env.setdefault("OBUKA_HOME", str(REPO))
    env["OBUKA_LANG"] = "bs"
    return subprocess.run([str(obuka_bin()), *args], env=env, capture_output=True, text=True, timeout=120, input=input)


def obuka(*args, check=True, input=None, now=None):
    """Runs the obuka CLI against the server's data directory and returns its standard output."""
    completed = run_obuka(*args, input=input, now=now)
    if check and completed.returncode != 0:
        raise AssertionError(f"obuka {' '.join(args)} failed ({completed.returncode}): {completed.stderr}")
    return completed.stdout


def url(path):
    return BASE_URL + path


def pdf_text(path):
    """The text of a PDF file (poppler's pdftotext), checking first that it is one."""
    data = pathlib.Path(path).read_bytes()
    if not data.startswith(b"%PDF"):
        raise AssertionError(f"{path} is not a PDF: {data[:60]!r}")
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True).stdout


class Browser:
    """One headless Chromium with its own download folder."""

    def __init__(self, width=1280, height=900):
        self.download_dir = tempfile.mkdtemp(prefix="obuka-downloads-")
        options = Options()
        if os.path.exists(CHROMIUM):
            options.binary_location = CHROMIUM
        for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", f"--window-size={width},{height}",
                         "--disable-gpu", "--no-first-run", "--disable-extensions", "--lang=bs",
                         "--password-store=basic", "--disable-features=Translate,PasswordLeakDetection"):
            options.add_argument(argument)
        options.add_experimental_option("prefs", {
            "download.default_directory": self.download_dir,
            "download.prompt_for_download": False,
            "download.directory_upgrade": True,
            "safebrowsing.enabled": False,
            "credentials_enable_service": False,
            "profile.password_manager_enabled": False,
        })
        # Network events of the page let a test read the HTTP status of what the browser loaded.
        options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
        self.driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        self.driver.set_page_load_timeout(WAIT * 3)
        self.driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": self.download_dir})

    def quit(self):
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self.download_dir, ignore_errors=True)

    # --- pages -------------------------------------------------------------------------------------

    def get(self, path):
        self._drain_log()
        self.driver.get(url(path))
        self.wait_ready()
        return self

    def wait_ready(self):
        WebDriverWait(self.driver, WAIT).until(lambda d: d.execute_script("return document.readyState") == "complete")

    def find(self, css):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def find_all(self, css):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def exists(self, css):
        return len(self.find_all(css)) > 0

    def text(self, css):
        return self.find(css).text

    def wait_for(self, css, timeout=WAIT):
        """Waits until an element is on the page (surviving reloads, e.g. of a `Refresh` header) and returns it."""
        def present(driver):
            try:
                elements = driver.find_elements(By.CSS_SELECTOR, css)
                return elements[0] if elements and elements[0].is_displayed() else False
            except StaleElementReferenceException:
                return False
        return WebDriverWait(self.driver, timeout, poll_frequency=0.2,
                             ignored_exceptions=(StaleElementReferenceException,)).until(present)

    def submit_with(self, css_or_element):
        """Clicks a submit button and waits for the next page to load."""
        element = self.find(css_or_element) if isinstance(css_or_element, str) else css_or_element
        self._drain_log()
        # A mark on the current document: gone once the browser shows the next one (no element references,
        # which a navigation can turn into odd inspector errors instead of StaleElementReferenceException).
        self.driver.execute_script("window.__obukaOldPage = true;")
        element.click()

        def next_page_loaded(driver):
            try:
                return driver.execute_script(
                    "return window.__obukaOldPage !== true && document.readyState === 'complete';")
            except WebDriverException:
                return False
        WebDriverWait(self.driver, WAIT, poll_frequency=0.1).until(next_page_loaded)
        return self

    def fill(self, css, value):
        element = self.find(css)
        element.clear()
        element.send_keys(value)
        return element

    def set_value(self, css, value):
        """Sets an input's value directly (date and time inputs take locale-dependent keystrokes)."""
        element = self.find(css)
        self.driver.execute_script(
            "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change', {bubbles: true}));",
            element, value)
        return element

    @property
    def path(self):
        return urllib.parse.urlsplit(self.driver.current_url).path

    # --- HTTP status of the last document -------------------------------------------------------------

    def _drain_log(self):
        try:
            self.driver.get_log("performance")
        except WebDriverException:
            pass

    def last_status(self):
        """HTTP status of the last document the browser received since the last navigation helper call."""
        status = None
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message.get("method") == "Network.responseReceived" and message["params"].get("type") == "Document":
                status = message["params"]["response"]["status"]
        return status

    # --- accounts --------------------------------------------------------------------------------------

    def sign_in(self, login, password=None, next_path=None):
        """Signs in through the form; returns the browser on the page after sign-in."""
        if password is None:
            password = passwords()[login]
        self.get("/login" + (f"?next={urllib.parse.quote(next_path)}" if next_path else ""))
        self.fill("#login", login)
        self.fill("#password", password)
        self.submit_with("#sign-in")
        return self

    def sign_out(self):
        self.driver.delete_all_cookies()
        return self

    def cookies(self):
        return {cookie["name"]: cookie["value"] for cookie in self.driver.get_cookies()}

    # --- downloads ---------------------------------------------------------------------------------------

    def downloads(self):
        return sorted(p for p in pathlib.Path(self.download_dir).iterdir()
                      if not p.name.endswith((".crdownload", ".tmp")) and not p.name.startswith("."))

    def wait_for_download(self, suffix="", timeout=WAIT * 2, before=()):
        """Waits for a finished download whose name ends with `suffix` that was not in `before`."""
        deadline = time.monotonic() + timeout
        known = {pathlib.Path(p).name for p in before}
        while time.monotonic() < deadline:
            partial = [p for p in pathlib.Path(self.download_dir).iterdir() if p.name.endswith(".crdownload")]
            finished = [p for p in self.downloads() if p.name.endswith(suffix) and p.name not in known]
            if finished and not partial:
                path = finished[-1]
                size = -1
                while size != path.stat().st_size:  # settled
                    size = path.stat().st_size
                    time.sleep(0.1)
                return path
            time.sleep(0.2)
        raise AssertionError(f"no download ending in {suffix!r} within {timeout}s: {os.listdir(self.download_dir)}")

    # --- screenshots -------------------------------------------------------------------------------------

    def phone(self, on=True):
        """Lays pages out as a phone does (390 CSS pixels wide, touch, device scale 1), or as the desktop again."""
        if on:
            self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
                "width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True})
        else:
            self.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

    def full_page_png(self, path, min_width=1280):
        """Saves a PNG of the whole page, not just the window (at least `min_width` CSS pixels wide)."""
        metrics = self.driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
        size = metrics.get("cssContentSize") or metrics["contentSize"]
        width, height = max(min_width, int(size["width"])), max(200, int(size["height"]))
        shot = self.driver.execute_cdp_cmd("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True, "fromSurface": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": min(height, 16000), "scale": 1},
        })
        import base64
        pathlib.Path(path).write_bytes(base64.b64decode(shot["data"]))
        return path


def http(method, path, fields=None, cookies=None):
    """A plain HTTP request outside the browser (no redirects followed); returns (status, body text)."""
    status, _, body = http_full(method, path, fields, cookies)
    return status, body


def http_full(method, path, fields=None, cookies=None):
    """Like `http`, with the response headers: returns (status, headers, body text)."""
    data = urllib.parse.urlencode(fields or {}).encode() if method == "POST" else None
    request = urllib.request.Request(url(path), data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
    if cookies:
        request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in cookies.items()))

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=WAIT) as response:
            return response.status, response.headers, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode("utf-8", "replace")
