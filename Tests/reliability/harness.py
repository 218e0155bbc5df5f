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
  harness.py mailcrash [--messages N]  N messages queued, then kill -9 `obuka serve` / `obuka mail send` while
                                       they hand them to a real SMTP server on loopback (Tests/mail); after the
                                       restarts every message arrived at least once, none under two Message-IDs,
                                       nothing that is not in the outbox, every row sent

Needs the built obuka (OBUKA_BIN, default .build/debug/obuka) and python3 (standard library only); mailcrash also
msmtp, openssl and the python3 on PATH with aiosmtpd and icalendar (what scripts/bootstrap installs).
Prints one figure line per mode, which docs/RELIABILITY.md quotes.
"""
import argparse, datetime, http.cookiejar, json, os, random, re, signal, socket, sqlite3, subprocess, sys, tempfile
import threading, time
import urllib.error, urllib.parse, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.abspath(os.environ.get("OBUKA_BIN", os.path.join(ROOT, ".build/debug/obuka")))
NOW = "2026-11-25 12:00"
LEASE_SECONDS = 120  # DeliveryRules.leaseSeconds: how long a sender holds the messages it claimed


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


def mail_outbox(n):
    """A data directory whose outbox holds exactly `n` queued messages, each queued by the event that causes it through
    obuka's own commands: people imported (names with č ć đ š ž, a Cyrillic and an English reader), a cohort of
    `places` enrolled (`n mod places` more waitlisted), then sessions scheduled, moved and cancelled, each event a
    message to every place holder (with an invitation). No demo data: its own messages would not make `n`."""
    places = max(1, min(40, n // 10))
    waitlisted = n % places
    events = (n - places - waitlisted) // places
    folder = tempfile.mkdtemp(prefix="obuka-mailcrash-")
    obuka = Obuka(os.path.join(folder, "data"))

    def run(*args):
        result = obuka.cli(*args)
        if result.returncode != 0:
            sys.exit(f"{' '.join(args)} failed: {result.stderr.strip()}")

    run("init")
    run("curriculum", "load", os.path.join(ROOT, "Curriculum"))
    given = ["Đurđa", "Ćamil", "Šefika", "Žarko", "Čedomir", "Ljiljana", "Njegoš", "Aida"]
    family = ["Šćepanović", "Žižić", "Čolić", "Đokić", "Hadžić", "Begović"]
    people = [str(9000 + i) for i in range(places + waitlisted)]
    csv = os.path.join(folder, "people.csv")
    with open(csv, "w", encoding="utf-8") as out:
        out.write("personal_number;given_name;family_name;email;department;job_title;employed_since\n")
        for i, number in enumerate(people):
            out.write(f"{number};{given[i % len(given)]};{family[i % len(family)]};polaznik.{number}@uprava.example;"
                      f"{'ZOU' if i % 2 else 'EIMS'};referent;01.03.2015\n")
    run("people", "import", csv)
    run("people", "language", people[0], "sr-Cyrl")
    if len(people) > 1:
        run("people", "language", people[1], "en")
    run("cohort", "create", "--code", "POUZ", "--name", "Pouzdanost – grupa Ž", "--program", "dijaspora-2022",
        "--starts", "2026-12-01", "--ends", "2027-06-30", "--capacity", str(places))
    run("enrol", "add", "POUZ", *people)
    days = [day for day in (datetime.date(2026, 12, 1) + datetime.timedelta(days=i) for i in range(200))
            if day.weekday() < 5]
    live = []  # sessions not cancelled, oldest first

    def session_ids():
        db = sqlite3.connect(f"file:{obuka.data}/obuka.sqlite?mode=ro", uri=True)
        ids = [row[0] for row in db.execute(
            "SELECT s.id FROM session s JOIN cohort c ON c.id = s.cohort_id WHERE c.code = 'POUZ' ORDER BY s.id")]
        db.close()
        return ids

    for event in range(events):
        day = days.pop(0).isoformat()
        step = ("schedule", "schedule", "move", "cancel")[event % 4] if live else "schedule"
        if step == "schedule":
            run("schedule", "add", "POUZ", "--module", f"M{len(live) % 3 + 1}", "--date", day, "--from", "09:00",
                "--to", "13:00", "--force")
            live.append(session_ids()[-1])
        elif step == "move":
            run("schedule", "move", str(live[-1]), "--date", day, "--from", "10:00", "--to", "14:00", "--force")
        else:
            run("schedule", "cancel", str(live.pop(0)), "--reason", "bolest predavača")
    queued = outbox_rows(obuka)
    if len(queued) != n or any(row["state"] != "queued" for row in queued):
        sys.exit(f"mailcrash: {len(queued)} messages queued, not {n} "
                 f"({places} places, {waitlisted} waitlisted, {events} events)")
    return obuka, folder


def outbox_rows(obuka):
    db = sqlite3.connect(f"file:{obuka.data}/obuka.sqlite?mode=ro", uri=True)
    db.row_factory = sqlite3.Row
    rows = [dict(row) for row in db.execute(
        "SELECT id, kind, recipient_email, subject, state, attempts, lease_owner, lease_until, last_error "
        "FROM outbox ORDER BY id")]
    db.close()
    return rows


class Relay:
    """Tests/mail/smtp_server.py on loopback (STARTTLS, AUTH obuka/tajna-lozinka), answering each message `delay_ms`
    after saving it; what it saved, read back by Python's email parser."""

    def __init__(self, folder, delay_ms):
        self.folder = os.path.join(folder, "mail")
        port_file = os.path.join(folder, "smtp-port")
        self.process = subprocess.Popen(
            ["/usr/bin/env", "python3", os.path.join(ROOT, "Tests/mail/smtp_server.py"), self.folder, port_file,
             "--delay-ms", str(delay_ms)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(400):
            if os.path.exists(port_file) and open(port_file).read().strip():
                self.port = int(open(port_file).read())
                self.certificate = os.path.join(self.folder, "cert.pem")
                return
            if self.process.poll() is not None:
                sys.exit("mailcrash: the SMTP server did not start (python3 with aiosmtpd? scripts/bootstrap installs it)")
            time.sleep(0.05)
        sys.exit("mailcrash: the SMTP server did not start")

    def arrived(self):
        """Messages saved so far (the .rcpt file is written last)."""
        return sum(1 for name in os.listdir(self.folder) if name.endswith(".rcpt"))

    def received(self):
        """(recipient, subject, Message-ID, envelope recipients, parser defects) per saved message."""
        messages = []
        for name in sorted(os.listdir(self.folder)):
            if name.endswith(".rcpt"):
                stem = os.path.join(self.folder, name[:-5])
                described = json.load(open(stem + ".json", encoding="utf-8"))
                messages.append((described["to_address"], described["subject"], described["message_id"],
                                 open(stem + ".rcpt").read().split("\n"), described["defects"]))
        return messages

    def stop(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()


def mailcrash(messages, seed, delay_ms):
    """Kill -9 the sender (`obuka serve` and `obuka mail send` in turn; every other time its msmtp too, as a machine's
    crash would) once some messages arrived; restart; then `obuka mail send` until nothing is queued. A killed sender's
    leases are aged by LEASE_SECONDS, as if the restart came that much later (else each kill costs two minutes)."""
    rng = random.Random(seed)
    started = time.time()
    obuka, folder = mail_outbox(messages)
    relay = Relay(folder, delay_ms)
    obuka.env.update(OBUKA_SMTP_HOST="127.0.0.1", OBUKA_SMTP_PORT=str(relay.port), OBUKA_SMTP_USER="obuka",
                     OBUKA_SMTP_FROM="obuka@uprava.example", OBUKA_SMTP_TRUST_FILE=relay.certificate,
                     OBUKA_SMTP_TIMEOUT="10")
    kills, failures, killed = [], [], set()
    batch = 100  # what one delivery run claims (MailDesk.deliver's limit)
    try:
        saved = subprocess.run([BIN, "mail", "password"], env=obuka.env, input="tajna-lozinka\n", capture_output=True,
                               text=True)
        if saved.returncode != 0:
            sys.exit(f"mail password failed: {saved.stderr.strip()}")
        planned = max(4, messages // 50)
        while len(kills) < planned:
            queued = [row for row in outbox_rows(obuka) if row["state"] == "queued"]
            if len(queued) < 2:
                break
            # Somewhere inside what this sender claims, leaving room for the kills still to come.
            claimed = min(len(queued), batch)
            target = rng.randint(1, max(1, min(claimed - 1, 2 * len(queued) // (planned - len(kills) + 1))))
            sender = "serve" if len(kills) % 2 == 0 else "mail send"
            whole_group = len(kills) % 4 >= 2  # as a machine's crash: msmtp killed with it
            with socket.socket() as s:
                s.bind(("127.0.0.1", 0))
                port = s.getsockname()[1]
            args = ["serve", "--port", str(port)] if sender == "serve" else ["mail", "send"]
            before = relay.arrived()
            log = os.path.join(folder, f"sender-{len(kills) + 1}.log")
            with open(log, "w") as output:
                process = subprocess.Popen([BIN, *args], env=obuka.env, stdout=output, stderr=subprocess.STDOUT,
                                           start_new_session=True)
            deadline = time.time() + 60
            while relay.arrived() - before < target and process.poll() is None and time.time() < deadline:
                time.sleep(0.005)
            if process.poll() is not None:
                failures.append(f"{sender} ended before {target} messages arrived (exit {process.returncode}): "
                                f"{open(log).read().strip()[-300:]}")
                break
            if time.time() >= deadline:
                failures.append(f"{sender}: only {relay.arrived() - before} of {target} messages arrived in 60 s")
            time.sleep(rng.uniform(0, (delay_ms + 100) / 1000))  # anywhere in the next hand-over
            at_kill = relay.arrived()
            finished = process.poll() is not None
            if whole_group:
                os.killpg(process.pid, signal.SIGKILL)
            else:
                process.send_signal(signal.SIGKILL)
            process.wait()
            # A msmtp the kill left running finishes its hand-over (or times out) on its own.
            for _ in range(400):
                try:
                    os.killpg(process.pid, 0)
                except ProcessLookupError:
                    break
                time.sleep(0.05)
            rows = outbox_rows(obuka)
            owner = f"obuka-{process.pid}"  # MailDesk.deliver's lease owner
            killed.add(owner)
            leased = [row["id"] for row in rows if row["state"] == "queued" and row["lease_owner"] == owner]
            foreign = [row["id"] for row in rows if row["state"] == "queued" and row["lease_owner"] not in killed | {None}]
            if foreign:
                failures.append(f"rows leased by a sender the harness did not start: {foreign[:5]}")
            db = sqlite3.connect(f"{obuka.data}/obuka.sqlite")
            with db:
                db.execute("UPDATE outbox SET lease_until = lease_until - ? WHERE lease_owner = ? AND state = 'queued'",
                           (LEASE_SECONDS, owner))
            db.close()
            sent = sum(1 for row in rows if row["state"] == "sent")
            after = relay.arrived() - at_kill
            kills.append(f"{sender}{' (and msmtp)' if whole_group else ''} at {at_kill - before} of this run "
                         f"({at_kill} arrived, {sent} marked sent, {len(leased)} left leased"
                         f"{f', {after} more saved after the kill' if after else ''}"
                         f"{', it had finished its run' if finished else ''})")
            check(obuka, [])
            if failures:
                break
        # The rest, to the end: `obuka mail send` until nothing is queued.
        for _ in range(messages // batch + 5):
            if failures or not any(row["state"] == "queued" for row in outbox_rows(obuka)):
                break
            result = obuka.cli("mail", "send")
            if result.returncode != 0:
                failures.append(f"mail send exit {result.returncode}: {(result.stdout + result.stderr).strip()[:300]}")
        check(obuka, [])
        received = relay.received()
    finally:
        relay.stop()

    rows = outbox_rows(obuka)
    by_content = {}
    for row in rows:
        by_content.setdefault((row["recipient_email"], row["subject"]), []).append(row)
    if any(len(same) > 1 for same in by_content.values()):
        sys.exit("mailcrash: two outbox rows with the same recipient and subject; the check cannot tell them apart")
    identities = {}  # outbox row id -> Message-IDs it arrived under
    arrivals = {}
    strangers = []
    for to, subject, message_id, envelope, defects in received:
        row = by_content.get((to, subject), [None])[0]
        if row is None:
            strangers.append(f"{to}: {subject}")
            continue
        if envelope != [row["recipient_email"]]:
            failures.append(f"row {row['id']} went to {envelope}")
        if defects:
            failures.append(f"row {row['id']} arrived with {defects} defects")
        identities.setdefault(row["id"], set()).add(message_id)
        arrivals[row["id"]] = arrivals.get(row["id"], 0) + 1
    lost = [row["id"] for row in rows if row["id"] not in arrivals]
    renamed = [row_id for row_id, ids in identities.items() if len(ids) > 1]
    owners = {}  # Message-ID -> outbox rows that arrived under it
    for row_id, ids in identities.items():
        for message_id in ids:
            owners.setdefault(message_id, set()).add(row_id)
    shared = sorted(message_id for message_id, row_ids in owners.items() if len(row_ids) > 1)
    unsent = [row["id"] for row in rows if row["state"] != "sent"]
    twice = sum(1 for row_id, count in arrivals.items() if count > 1 and len(identities[row_id]) == 1)
    # `obuka serve` and `obuka mail send` run the clock tick too: what it queued meanwhile must arrive as well.
    extra = f" (+{len(rows) - messages} queued by the clock tick)" if len(rows) != messages else ""
    print(f"mailcrash: {messages} messages{extra} in {time.time() - started:.1f} s, kills {len(kills)}, arrived {len(received)} "
          f"({twice} twice under the same Message-ID), lost {len(lost)}, under two Message-IDs {len(renamed)}, "
          f"not in the outbox {len(strangers)}, not marked sent {len(unsent)}")
    for number, kill in enumerate(kills, 1):
        print(f"  kill {number}: {kill}")
    for label, items in (("lost", lost), ("under two Message-IDs", [(i, sorted(identities[i])) for i in renamed]),
                         ("not in the outbox", strangers),
                         ("not marked sent", [(row["id"], row["state"], row["last_error"]) for row in rows
                                              if row["state"] != "sent"])):
        if items:
            failures.append(f"{label}: {items[:5]}")
    if shared:
        failures.append(f"two outbox rows under one Message-ID: {shared[:5]}")
    for failure in failures:
        print("  FAILED: " + failure, file=sys.stderr)
    return 1 if failures else 0


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
    m = sub.add_parser("mailcrash")
    m.add_argument("--messages", type=int, default=50)
    m.add_argument("--seed", type=int, default=1)
    m.add_argument("--delay-ms", type=int, default=30, help="the SMTP server's delay before it answers each message")
    args = parser.parse_args()
    if not os.access(BIN, os.X_OK):
        sys.exit(f"no obuka binary at {BIN}")
    if args.mode == "crash":
        sys.exit(crash(args.rounds, args.seed))
    if args.mode == "mailcrash":
        sys.exit(mailcrash(max(2, args.messages), args.seed, args.delay_ms))
    sys.exit(contention(args.seconds, args.seed) if args.mode == "contention" else diskfull())


if __name__ == "__main__":
    main()
