#!/usr/bin/env python3
"""Reliability harness for obuka (issue "Reliability").

  harness.py crash [--rounds N]        kill -9 obuka at random moments while it writes; after each
                                       restart: integrity_check ok, audit chain intact, and every
                                       acknowledged write (HTTP 2xx/3xx, CLI exit 0) present
  harness.py diskfull                  the database on a small tmpfs (needs root): when writes fail the
                                       user sees a clear error (CLI message, HTTP 507 page), the database
                                       stays intact, and obuka works again once space is freed
  harness.py contention [--seconds S]  CLI writers and web writers at once: no "database is locked"
                                       (or any other error) may reach a user; prints writes/s

Needs the built obuka (OBUKA_BIN, default .build/debug/obuka) and python3 (standard library only).
Prints one figure line per mode, which docs/RELIABILITY.md quotes.
"""
import argparse, http.cookiejar, os, random, re, signal, socket, sqlite3, subprocess, sys, tempfile, threading, time
import urllib.error, urllib.parse, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.abspath(os.environ.get("OBUKA_BIN", os.path.join(ROOT, ".build/debug/obuka")))
NOW = "2026-11-25 12:00"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Obuka:
    """One data directory and, when started, one server."""

    def __init__(self, data):
        self.data = data
        self.env = dict(os.environ, OBUKA_DATA=data, OBUKA_HOME=ROOT, OBUKA_NOW=NOW, OBUKA_ACTOR="cli:harness")
        self.server = None
        self.port = None

    def cli(self, *args, timeout=120):
        return subprocess.run([BIN, *args], env=self.env, capture_output=True, text=True, timeout=timeout)

    def popen(self, *args):
        return subprocess.Popen([BIN, *args], env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def start(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.server = subprocess.Popen([BIN, "serve", "--port", str(self.port)], env=self.env,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(200):
            try:
                urllib.request.urlopen(self.url("/login"), timeout=1).read()
                return
            except Exception:
                time.sleep(0.05)
        raise RuntimeError("server did not start")

    def kill(self):
        if self.server and self.server.poll() is None:
            self.server.send_signal(signal.SIGKILL)
            self.server.wait()

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def password(self, login):
        for line in open(os.path.join(self.data, "demo-logins.txt")):
            parts = line.split()
            if parts and parts[0] == login:
                return parts[1]
        raise KeyError(login)


class Browser:
    """A signed-in coordinator: cookies plus the session's CSRF token."""

    def __init__(self, obuka, login="koordinator"):
        self.obuka = obuka
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)
        page = self.get("/login")
        token = re.search(r'name="_csrf" value="([^"]+)"', page).group(1)
        status = self.post("/login", {"_csrf": token, "login": login, "password": obuka.password(login), "next": "/"})
        if status != 303:
            raise RuntimeError(f"sign-in failed: {status}")
        self.csrf = re.search(r'name="_csrf" value="([^"]+)"', self.get("/cohorts")).group(1)

    def get(self, path):
        with self.opener.open(self.obuka.url(path), timeout=30) as response:
            return response.read().decode()

    def post(self, path, fields):
        data = urllib.parse.urlencode(fields).encode()
        try:
            with self.opener.open(urllib.request.Request(self.obuka.url(path), data=data), timeout=30) as response:
                response.read()
                return response.status
        except urllib.error.HTTPError as error:
            body = error.read().decode(errors="replace")
            if error.code in (301, 302, 303):
                return error.code
            self.last_error = body
            return error.code


def prepare():
    folder = tempfile.mkdtemp(prefix="obuka-reliability-")
    obuka = Obuka(os.path.join(folder, "data"))
    for args in (["init"], ["demo", "seed"]):
        result = obuka.cli(*args)
        if result.returncode != 0:
            sys.exit(f"{' '.join(args)} failed: {result.stderr}")
    db = sqlite3.connect(f"file:{obuka.data}/obuka.sqlite?mode=ro", uri=True)
    sessions = [row[0] for row in db.execute(
        "SELECT s.id FROM session s JOIN cohort c ON c.id = s.cohort_id WHERE c.code = 'DIJ-A' ORDER BY s.id")]
    people = [row[0] for row in db.execute(
        "SELECT p.personal_number FROM enrolment e JOIN person p ON p.id = e.person_id JOIN cohort c ON c.id = e.cohort_id "
        "WHERE c.code = 'DIJ-A' AND e.status IN ('approved', 'completed') ORDER BY p.personal_number")]
    db.close()
    return obuka, sessions, people


def check(obuka, acked):
    """Integrity, audit chain and every acknowledged write; returns the number of lost writes."""
    db = sqlite3.connect(f"{obuka.data}/obuka.sqlite")
    integrity = db.execute("PRAGMA integrity_check").fetchall()
    if integrity != [("ok",)]:
        sys.exit(f"integrity_check failed: {integrity[:3]}")
    lost = []
    for kind, key in acked:
        if kind == "attendance":
            found = db.execute("SELECT 1 FROM attendance WHERE note = ?", (key,)).fetchone()
        elif kind == "score":
            found = db.execute("SELECT 1 FROM assessment_result WHERE score = ?", (key,)).fetchone()
        else:  # certificates: at least this many issued for the cohort
            found = db.execute("SELECT count(*) >= ? FROM certificate c JOIN cohort k ON k.id = c.cohort_id "
                               "WHERE k.code = 'DIJ-A'", (key,)).fetchone()[0]
        if not found:
            lost.append((kind, key))
    db.close()
    verify = obuka.cli("audit", "verify")
    if verify.returncode != 0:
        sys.exit(f"audit verify failed: {verify.stderr.strip()}")
    return lost


def crash(rounds, seed):
    rng = random.Random(seed)
    obuka, sessions, people = prepare()
    acked, lost_total, serial = [], 0, 0
    for round_number in range(1, rounds + 1):
        obuka.start()
        browser = Browser(obuka)
        stop = threading.Event()
        children = []
        lock = threading.Lock()

        def web_writer():
            nonlocal serial
            while not stop.is_set():
                with lock:
                    serial += 1
                    tag = f"crash-{round_number}-{serial}"
                session, person = rng.choice(sessions), rng.choice(people)
                try:
                    status = browser.post(f"/sessions/{session}/attendance", {
                        "_csrf": browser.csrf, f"status_{person}": "late", f"minutes_{person}": str(rng.randint(1, 239)),
                        f"note_{person}": tag})
                except Exception:
                    return  # the server died mid-request: not acknowledged
                if status == 303:
                    with lock:
                        acked.append(("attendance", tag))

        def cli_writer():
            nonlocal serial
            while not stop.is_set():
                with lock:
                    serial += 1
                    score = round(40 + (serial % 6000) / 100, 2)
                process = obuka.popen("assessment", "record", "DIJ-A", rng.choice(people), "M2-P", "--score", str(score),
                                      "--attempt", "1")
                with lock:
                    children.append(process)
                process.wait()
                if process.returncode == 0:
                    with lock:
                        acked.append(("score", score))

        def certificate_issuer():
            folder = tempfile.mkdtemp(prefix="obuka-crash-certs-")
            process = obuka.popen("certificate", "issue", "--cohort", "DIJ-A", "--folder", folder)
            with lock:
                children.append(process)
            out, _ = process.communicate()
            if process.returncode == 0:
                db = sqlite3.connect(f"file:{obuka.data}/obuka.sqlite?mode=ro", uri=True)
                count = db.execute("SELECT count(*) FROM certificate c JOIN cohort k ON k.id = c.cohort_id "
                                   "WHERE k.code = 'DIJ-A'").fetchone()[0]
                db.close()
                with lock:
                    acked.append(("certificates", count))

        threads = [threading.Thread(target=web_writer), threading.Thread(target=cli_writer)]
        if round_number % 5 == 1:
            threads.append(threading.Thread(target=certificate_issuer))
        for thread in threads:
            thread.start()
        time.sleep(rng.uniform(0.2, 1.2))
        # kill -9 everything that writes, at once
        obuka.kill()
        with lock:
            for process in children:
                if process.poll() is None:
                    process.send_signal(signal.SIGKILL)
        stop.set()
        for thread in threads:
            thread.join()
        lost = check(obuka, acked)
        lost_total = len(lost)
        if lost:
            print(f"round {round_number}: LOST {lost[:5]}", file=sys.stderr)
            break
    print(f"crash: rounds {round_number}, writes acknowledged {len(acked)}, writes lost {lost_total}")
    return 1 if lost_total else 0


def contention(seconds, seed):
    rng = random.Random(seed)
    obuka, sessions, people = prepare()
    obuka.start()
    browsers = [Browser(obuka) for _ in range(2)]
    deadline = time.time() + seconds
    counts = {"web": 0, "cli": 0}
    errors = []
    lock = threading.Lock()

    def web_writer(browser):
        while time.time() < deadline:
            person = rng.choice(people)
            status = browser.post(f"/sessions/{rng.choice(sessions)}/attendance", {
                "_csrf": browser.csrf, f"status_{person}": "late", f"minutes_{person}": str(rng.randint(1, 239))})
            with lock:
                if status == 303:
                    counts["web"] += 1
                else:
                    errors.append(f"web {status}: {getattr(browser, 'last_error', '')[:200]}")

    def cli_writer():
        while time.time() < deadline:
            result = obuka.cli("attendance", "record", str(rng.choice(sessions)), rng.choice(people), "--status", "late",
                               "--minutes", str(rng.randint(1, 239)))
            with lock:
                if result.returncode == 0:
                    counts["cli"] += 1
                else:
                    errors.append(f"cli: {result.stderr.strip()[:200]}")

    threads = [threading.Thread(target=web_writer, args=(b,)) for b in browsers] + [threading.Thread(target=cli_writer) for _ in range(2)]
    started = time.time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.time() - started
    obuka.kill()
    locked = [e for e in errors if "locked" in e.lower() or "zaključan" in e.lower()]
    total = counts["web"] + counts["cli"]
    print(f"contention: {elapsed:.1f} s, writes {total} ({total / elapsed:.1f}/s; web {counts['web']}, cli {counts['cli']}), "
          f"errors {len(errors)}, 'database is locked' {len(locked)}")
    for error in errors[:5]:
        print("  " + error, file=sys.stderr)
    lost = check(obuka, [])
    return 1 if errors or lost else 0


def diskfull():
    if os.geteuid() != 0:
        print("diskfull: skipped (needs root to mount a tmpfs)")
        return 0
    mount = tempfile.mkdtemp(prefix="obuka-diskfull-")
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", mount], check=True)
    try:
        obuka = Obuka(os.path.join(mount, "data"))
        for args in (["init"], ["demo", "seed"]):
            result = obuka.cli(*args)
            if result.returncode != 0:
                sys.exit(f"{' '.join(args)} failed on the tmpfs: {result.stderr}")
        db = sqlite3.connect(f"file:{obuka.data}/obuka.sqlite?mode=ro", uri=True)
        session, person = db.execute(
            "SELECT a.session_id, p.personal_number FROM attendance a JOIN person p ON p.id = a.person_id LIMIT 1").fetchone()
        db.close()
        obuka.start()
        browser = Browser(obuka)
        filler = os.path.join(mount, "filler")
        descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            while os.write(descriptor, b"\0" * 4096) > 0:
                pass
        except OSError:
            pass
        finally:
            os.close(descriptor)
        failures = []
        # Writes until the WAL cannot grow: every one must fail cleanly.
        cli_message = web_status = None
        for attempt in range(200):
            note = "x" * 4000
            result = obuka.cli("attendance", "record", str(session), person, "--status", "late", "--minutes", "100", "--note", note)
            if result.returncode != 0:
                cli_message = result.stderr.strip()
                break
        status = browser.post(f"/sessions/{session}/attendance", {
            "_csrf": browser.csrf, f"status_{person}": "late", f"minutes_{person}": "101", f"note_{person}": "y" * 4000})
        web_status = status
        page = getattr(browser, "last_error", "")
        if cli_message is None or ("disk" not in cli_message.lower() and "prostor" not in cli_message.lower()):
            failures.append(f"CLI on a full disk: {cli_message!r}")
        if web_status != 507:
            failures.append(f"web on a full disk answered {web_status}")
        elif "disk" not in page.lower() and "prostor" not in page.lower():
            failures.append("the 507 page does not say the disk is full")
        os.remove(filler)
        check(obuka, [])
        after_cli = obuka.cli("attendance", "record", str(session), person, "--status", "late", "--minutes", "102")
        after_web = browser.post(f"/sessions/{session}/attendance", {
            "_csrf": browser.csrf, f"status_{person}": "late", f"minutes_{person}": "103"})
        if after_cli.returncode != 0:
            failures.append(f"CLI after freeing space: {after_cli.stderr.strip()}")
        if after_web != 303:
            failures.append(f"web after freeing space answered {after_web}")
        obuka.kill()
        check(obuka, [])
        print(f"diskfull: CLI said {cli_message!r}; web answered {web_status}; integrity ok; "
              f"after freeing space CLI exit {after_cli.returncode}, web {after_web}")
        for failure in failures:
            print("  FAILED: " + failure, file=sys.stderr)
        return 1 if failures else 0
    finally:
        subprocess.run(["umount", "-l", mount])


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="mode", required=True)
    c = sub.add_parser("crash")
    c.add_argument("--rounds", type=int, default=20)
    c.add_argument("--seed", type=int, default=1)
    k = sub.add_parser("contention")
    k.add_argument("--seconds", type=float, default=10)
    k.add_argument("--seed", type=int, default=1)
    sub.add_parser("diskfull")
    args = parser.parse_args()
    if not os.access(BIN, os.X_OK):
        sys.exit(f"no obuka binary at {BIN}")
    if args.mode == "crash":
        sys.exit(crash(args.rounds, args.seed))
    sys.exit(contention(args.seconds, args.seed) if args.mode == "contention" else diskfull())


if __name__ == "__main__":
    main()
