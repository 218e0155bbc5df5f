#!/usr/bin/env python3
"""The scale benchmark's measurements (Benchmarks/run scale): each figure on a District (1×) and on N Districts (N×)
generated with the same seed, each with its peer from the same run and the ratio. Called by Benchmarks/run, which
generates the data; run it alone only with data directories made by `obuka demo generate --scale`."""

import argparse
import http.cookiejar
import json
import os
import pathlib
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request

PASSWORD = "mjerenje-razmjera-2026"
PERIOD = "from=2026-01-01&to=2026-11-25"
PROGRAM = "uprava-osnove"
# The same figures as the department report and the program report, the naive way: aggregates over the ledgers.
DEPARTMENT_SQL = """SELECT e.department_at_enrolment, COUNT(DISTINCT a.person_id), SUM(a.minutes_present),
    SUM((strftime('%s', s.ends_at) - strftime('%s', s.starts_at)) / 60)
    FROM attendance a JOIN session s ON s.id = a.session_id JOIN cohort c ON c.id = s.cohort_id
    JOIN enrolment e ON e.cohort_id = s.cohort_id AND e.person_id = a.person_id
    WHERE a.current AND c.starts <= '2026-11-25' AND c.ends >= '2026-01-01' AND e.department_at_enrolment = 'EIMS'
    GROUP BY e.department_at_enrolment
    UNION ALL SELECT 'District', COUNT(DISTINCT a.person_id), SUM(a.minutes_present),
    SUM((strftime('%s', s.ends_at) - strftime('%s', s.starts_at)) / 60)
    FROM attendance a JOIN session s ON s.id = a.session_id JOIN cohort c ON c.id = s.cohort_id
    WHERE a.current AND c.starts <= '2026-11-25' AND c.ends >= '2026-01-01'"""
PROGRAM_SQL = """SELECT e.department_at_enrolment, COUNT(DISTINCT e.person_id), SUM(e.status = 'completed'),
    SUM(a.minutes_present), SUM((strftime('%s', s.ends_at) - strftime('%s', s.starts_at)) / 60)
    FROM enrolment e JOIN cohort c ON c.id = e.cohort_id
    JOIN session s ON s.cohort_id = c.id LEFT JOIN attendance a ON a.session_id = s.id AND a.person_id = e.person_id AND a.current
    WHERE c.program_id = 'uprava-osnove' AND c.starts <= '2026-11-25' AND c.ends >= '2026-01-01'
    GROUP BY e.department_at_enrolment ORDER BY 1"""
PEOPLE_SQL = """SELECT p.personal_number, p.family_name, p.given_name, p.department, p.email, p.job_title FROM person p
    WHERE p.erased_at IS NULL AND lower(replace(replace(replace(p.given_name || ' ' || p.family_name, 'ž', 'z'), 'ć', 'c'), 'č', 'c'))
    LIKE '%hadzic%' ORDER BY p.family_name, p.given_name LIMIT 101;
    SELECT COUNT(*) FROM person WHERE erased_at IS NULL AND family_name LIKE '%Hadžić%';"""
COHORTS_SQL = """SELECT c.code, c.name, c.starts, c.ends, c.program_id,
    (SELECT COUNT(*) FROM enrolment e WHERE e.cohort_id = c.id AND e.status IN ('approved', 'completed')),
    (SELECT COUNT(*) FROM enrolment e WHERE e.cohort_id = c.id AND e.status = 'requested')
    FROM cohort c ORDER BY c.starts DESC, c.id DESC LIMIT 101; SELECT COUNT(*) FROM cohort;"""


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def ms(value, unit):
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def wrk(url, cookie, connections, seconds, fresh):
    headers = []
    if cookie:
        headers += ["-H", f"Cookie: obuka_session={cookie}"]
    if fresh:
        headers += ["-H", "Cache-Control: no-cache"]
    threads = "2" if connections > 1 else "1"
    subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", "-d2s", *headers, url], capture_output=True, check=True)
    text = subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", *headers, url],
                          capture_output=True, text=True, check=True).stdout
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", text)) + (int(non2xx.group(1)) if non2xx else 0)
    return {"mean": ms(*re.search(r"Latency\s+([\d.]+)(us|ms|s)", text).groups()),
            "p99": ms(*re.search(r"99%\s+([\d.]+)(us|ms|s)", text).groups()),
            "rate": float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)), "errors": errors}


def timed(url, cookie, times=3):
    """A page too slow for wrk (its 2 s timeout) timed request by request: mean and slowest in ms."""
    request = urllib.request.Request(url, headers={"Cookie": f"obuka_session={cookie}", "Cache-Control": "no-cache"})
    took = []
    for _ in range(times):
        started = time.monotonic()
        urllib.request.urlopen(request, timeout=300).read()
        took.append((time.monotonic() - started) * 1000)
    return {"mean": sum(took) / len(took), "p99": max(took), "rate": len(took) / (sum(took) / 1000), "errors": 0}


def served(url, cookie, seconds):
    """A page read anew one request at a time: by wrk, or request by request when none answered within wrk's 2 s."""
    figure = wrk(url, cookie, 1, seconds, True)
    # wrk counts a request it gave up on (its 2 s timeout) as sent, with no latency.
    return figure if figure["mean"] > 0 and figure["errors"] == 0 else timed(url, cookie)


def hyperfine(command, work):
    out = work / f"hyperfine-{time.monotonic_ns()}.json"
    subprocess.run(["hyperfine", "--shell=none", "--style", "none", "--warmup", "2", "--min-runs", "10", "--export-json", str(out),
                    subprocess.list2cmdline(command)], capture_output=True, check=True)
    result = json.loads(out.read_text())["results"][0]
    return {"mean": result["mean"] * 1000, "p99": max(result["times"]) * 1000}


class Site:
    """A data directory served by `obuka serve`: accounts made once, cold start and memory measured."""

    def __init__(self, obuka, data, now, work):
        self.obuka, self.data, self.now, self.work = obuka, pathlib.Path(data), now, work
        self.env = dict(os.environ, OBUKA_DATA=str(self.data), OBUKA_NOW=now, OBUKA_LANG="bs")

    def cli(self, *args, stdin=None):
        return subprocess.run([self.obuka, *args], env=self.env, input=stdin, capture_output=True, text=True)

    def accounts(self):
        listed = self.cli("account", "list").stdout
        for login, role, extra in (("koordinator-mjerenje", "coordinator", []),
                                   ("sef-mjerenje", "department_head", ["--department", "EIMS"]),
                                   ("polaznik-mjerenje", "trainee", ["--person", "G000001"])):
            if login not in listed:
                made = self.cli("account", "add", login, "--name", login, "--role", role, *extra, "--password-stdin", stdin=PASSWORD + "\n")
                if made.returncode != 0:
                    sys.exit(f"scale: account add {login} failed: {made.stderr}")

    def start(self):
        """Starts the server; returns seconds from the process start to the first answered request."""
        self.port = free_port()
        self.log = open(self.work / f"server-{self.port}.log", "w")
        started = time.monotonic()
        self.process = subprocess.Popen([self.obuka, "serve", "--host", "127.0.0.1", "--port", str(self.port)], env=self.env,
                                        stdout=self.log, stderr=subprocess.STDOUT)
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/login", timeout=1) as response:
                    if response.status == 200:
                        return time.monotonic() - started
            except OSError:
                if self.process.poll() is not None:
                    sys.exit(f"scale: the server on {self.data} stopped; see {self.log.name}")
                if time.monotonic() - started > 60:
                    sys.exit("scale: the server did not answer in a minute")
                time.sleep(0.005)

    def wait_for_check(self):
        """Waits for the server's line saying its background check of the file passed; returns its seconds."""
        started = time.monotonic()
        while time.monotonic() - started < 600:
            found = re.search(r"Provjera baze završena: bez oštećenja \((\d+) s\)", pathlib.Path(self.log.name).read_text())
            if found:
                return int(found.group(1))
            if self.process.poll() is not None:
                sys.exit(f"scale: the server on {self.data} stopped; see {self.log.name}")
            time.sleep(0.25)
        sys.exit("scale: the server's check of the file did not finish in ten minutes")

    def memory(self, field):
        text = pathlib.Path(f"/proc/{self.process.pid}/status").read_text()
        return int(re.search(rf"{field}:\s+(\d+) kB", text).group(1)) / 1024

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.close()

    def sign_in(self, login):
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page = opener.open(f"http://127.0.0.1:{self.port}/login").read().decode()
        csrf = re.search(r'name="_csrf" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode({"_csrf": csrf, "login": login, "password": PASSWORD, "next": "/"}).encode()
        opener.open(f"http://127.0.0.1:{self.port}/login", data=body).read()
        return next(cookie.value for cookie in jar if cookie.name == "obuka_session")

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"


def nginx_copy(work, body):
    """nginx serving `body` as a saved copy on a free port; returns (url, stop)."""
    root = work / f"nginx-{time.monotonic_ns()}"
    (root / "static/my").mkdir(parents=True)
    (root / "static/my/index.html").write_bytes(body)
    port = free_port()
    (root / "nginx.conf").write_text(f"""worker_processes 2; pid {root}/nginx.pid; error_log {root}/error.log; daemon on;
events {{ worker_connections 1024; }}
http {{ access_log off; client_body_temp_path {root}/body; proxy_temp_path {root}/proxy; fastcgi_temp_path {root}/fastcgi;
uwsgi_temp_path {root}/uwsgi; scgi_temp_path {root}/scgi; default_type text/html;
server {{ listen 127.0.0.1:{port}; root {root}/static; location /my {{ try_files /my/index.html =404; }} }} }}
""")
    for folder in (work, root, root / "static", root / "static/my"):
        folder.chmod(0o755)
    (root / "static/my/index.html").chmod(0o644)
    subprocess.run(["nginx", "-c", str(root / "nginx.conf"), "-p", str(root)], check=True)
    return f"http://127.0.0.1:{port}/my", lambda: subprocess.run(["kill", (root / "nginx.pid").read_text().strip()])


def bare_route_copy(peer, work, body):
    """The bare Hummingbird route (Benchmarks/peers/bare-route) serving `body` on a free port; returns (url, stop)."""
    page = work / f"bare-route-{time.monotonic_ns()}.html"
    page.write_bytes(body)
    port = free_port()
    process = subprocess.Popen([peer, str(page), str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/my"
    for _ in range(200):
        try:
            urllib.request.urlopen(url, timeout=1).read()
            break
        except OSError:
            if process.poll() is not None:
                sys.exit("scale: the bare route peer stopped")
            time.sleep(0.05)
    return url, lambda: (process.terminate(), process.wait(timeout=30))


def measure(obuka, bare_route, data, now, seconds, work):
    site = Site(obuka, data, now, work)
    site.accounts()
    database = pathlib.Path(data) / "obuka.sqlite"
    people = int(subprocess.run(["sqlite3", str(database), "SELECT COUNT(*) FROM person"], capture_output=True, text=True).stdout)
    attendance = int(subprocess.run(["sqlite3", str(database), "SELECT COUNT(*) FROM attendance"], capture_output=True, text=True).stdout)
    # The read-access log grows with every view of people's data, benchmark runs included: shown apart.
    read_log = int(subprocess.run(["sqlite3", str(database), "SELECT COALESCE(SUM(pgsize), 0) FROM dbstat WHERE name LIKE 'read_access%'"],
                                  capture_output=True, text=True).stdout or 0)
    figures = {"people": people, "attendance": attendance, "bytes per person": database.stat().st_size / people,
               "read log bytes per person": read_log / people}
    # Cold start: the file's pages dropped from the page cache where the machine lets us (root), else a warm start.
    dropped = subprocess.run(["sh", "-c", "sync && echo 3 > /proc/sys/vm/drop_caches"], capture_output=True).returncode == 0
    figures["cold start"] = site.start() * 1000
    figures["cache dropped"] = dropped
    figures["resident after start"] = site.memory("VmRSS")
    # A file over 256 MB is checked beside the running server (every page read once): the pages are timed after the
    # check has passed, as they are served from then on, and the check's own time is shown.
    figures["check seconds"] = site.wait_for_check() if database.stat().st_size > 256 * 1024 * 1024 else None
    try:
        head, coordinator, trainee = (site.sign_in(login) for login in ("sef-mjerenje", "koordinator-mjerenje", "polaznik-mjerenje"))
        sql = lambda query: hyperfine(["sqlite3", str(database), query], work)
        figures["department report"] = (served(site.url(f"/reports/department/EIMS?{PERIOD}"), head, seconds), sql(DEPARTMENT_SQL))
        figures["program report"] = (served(site.url(f"/reports/program?{PERIOD}&program={PROGRAM}"), coordinator, seconds),
                                     sql(PROGRAM_SQL))
        figures["people search"] = (served(site.url("/people?q=hadzic"), coordinator, seconds), sql(PEOPLE_SQL))
        figures["cohort list"] = (served(site.url("/cohorts"), coordinator, seconds), sql(COHORTS_SQL))
        request = urllib.request.Request(site.url("/my"), headers={"Cookie": f"obuka_session={trainee}"})
        body = urllib.request.urlopen(request).read()
        figures["trainee page"] = (wrk(site.url("/my"), trainee, 32, seconds, False),)
        for serve_copy in (lambda: nginx_copy(work, body), lambda: bare_route_copy(bare_route, work, body)):
            copy_url, stop_copy = serve_copy()
            try:
                figures["trainee page"] += (wrk(copy_url, None, 32, seconds, False),)
            finally:
                stop_copy()
        figures["resident at the end"] = site.memory("VmRSS")
        figures["resident peak"] = site.memory("VmHWM")
        # The database's pages read through the memory map count as resident too (the kernel's page cache, shared):
        # the process's own memory is its anonymous part.
        figures["own memory at the end"] = site.memory("RssAnon")
    finally:
        site.stop()
    return figures


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--obuka", required=True)
    parser.add_argument("--bare-route", required=True)
    parser.add_argument("--now", required=True)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--work", required=True)
    parser.add_argument("--one", required=True)
    parser.add_argument("--many", required=True)
    parser.add_argument("--scale", type=int, required=True)
    args = parser.parse_args()
    work = pathlib.Path(args.work)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    one = measure(args.obuka, args.bare_route, args.one, args.now, args.seconds, work)
    many = measure(args.obuka, args.bare_route, args.many, args.now, args.seconds, work)
    n = args.scale
    print(f"  1×: {one['people']:,} people, {one['attendance']:,} attendance rows;  {n}×: {many['people']:,} people, "
          f"{many['attendance']:,} attendance rows")
    print(f"  {'served, read anew (wrk -t1 -c1)':<34}{'1× obuka':>10}{'peer':>10}{'ratio':>8}   {f'{n}× obuka':>10}{'peer':>10}{'ratio':>8}   goal")
    goals = {"department report": ("< 50 ms", lambda o: o["mean"] < 50), "program report": ("", None),
             "people search": ("< 50 ms", lambda o: o["mean"] < 50), "cohort list": ("< 50 ms", lambda o: o["mean"] < 50)}
    for name, (goal, check) in goals.items():
        (o1, p1), (on, pn) = one[name], many[name]
        verdict = "" if check is None else ("met" if check(on) else "NOT met")
        print(f"  {name + ' (mean ms)':<34}{o1['mean']:>10.1f}{p1['mean']:>10.1f}{o1['mean'] / p1['mean']:>7.2f}×"
              f"   {on['mean']:>10.1f}{pn['mean']:>10.1f}{on['mean'] / pn['mean']:>7.2f}×   {goal} {verdict}")
        print(f"  {'  p99 ms':<34}{o1['p99']:>10.1f}{'':>18}   {on['p99']:>10.1f}")
    (o1, p1, b1), (on, pn, bn) = one["trainee page"], many["trainee page"]
    met = "met" if on["p99"] < 20 and on["errors"] == 0 else "NOT met"
    print(f"  {'trainee page, wrk -t2 -c32 (req/s)':<34}{o1['rate']:>10,.0f}{p1['rate']:>10,.0f}{o1['rate'] / p1['rate']:>7.2f}×"
          f"   {on['rate']:>10,.0f}{pn['rate']:>10,.0f}{on['rate'] / pn['rate']:>7.2f}×   peer nginx, saved copy")
    share = "met" if o1["rate"] / b1["rate"] >= 0.6 and o1["p99"] < 10 else "NOT met"
    print(f"  {'  same, peer bare route (req/s)':<34}{o1['rate']:>10,.0f}{b1['rate']:>10,.0f}{o1['rate'] / b1['rate']:>7.2f}×"
          f"   {on['rate']:>10,.0f}{bn['rate']:>10,.0f}{on['rate'] / bn['rate']:>7.2f}×   at 1×: ≥ 0.60 and p99 < 10 ms: {share}")
    print(f"  {'  p99 ms':<34}{o1['p99']:>10.2f}{p1['p99']:>10.2f}{'':>8}   {on['p99']:>10.2f}{pn['p99']:>10.2f}{'':>8}   p99 < 20 ms: {met}"
          f" (errors {on['errors']})")
    start_met = "met" if many["cold start"] < 2000 and many["resident after start"] < 300 else "NOT met"
    kind = "cold (page cache dropped)" if many["cache dropped"] else "warm (page cache kept: not root)"
    print(f"  {'server start to first answer, ms':<34}{one['cold start']:>10.0f}{'':>18}   {many['cold start']:>10.0f}"
          f"{'':>18}   < 2 s, < 300 MB: {start_met}; {kind}")
    check = lambda figures: "at start" if figures["check seconds"] is None else f"{figures['check seconds']} s"
    print(f"  {'  check of the file, beside serving':<34}{check(one):>10}{'':>18}   {check(many):>10}{'':>18}"
          "   pages above timed after it")
    print(f"  {'  resident after start, MB':<34}{one['resident after start']:>10.0f}{'':>18}   {many['resident after start']:>10.0f}")
    print(f"  {'  resident peak in the run, MB':<34}{one['resident peak']:>10.0f}{'':>18}   {many['resident peak']:>10.0f}"
          "   with the file's mapped pages")
    print(f"  {'  own memory at the end, MB':<34}{one['own memory at the end']:>10.0f}{'':>18}   {many['own memory at the end']:>10.0f}"
          "   anonymous (RssAnon)")
    print(f"  {'database bytes per person':<34}{one['bytes per person']:>10,.0f}{'':>18}   {many['bytes per person']:>10,.0f}")
    print(f"  {'  of which the read-access log':<34}{one['read log bytes per person']:>10,.0f}{'':>18}   "
          f"{many['read log bytes per person']:>10,.0f}   grows with every view of people's data")


if __name__ == "__main__":
    main()
