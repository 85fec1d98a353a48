"""The site published under a sub-path by Debian's nginx, configured as docs/hosting.md says,
and `check --url` against it."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from conftest import REPOSITORY, SAMPLE_AGENDA, run_cli
from eventsite.build import build_site

SUB_PATH = "/events/prtr/"
TYPES = {".html": "text/html; charset=utf-8", ".ics": "text/calendar; charset=utf-8",
         ".json": "application/json; charset=utf-8", ".pdf": "application/pdf",
         ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
         ".txt": "text/plain; charset=utf-8", ".xml": "application/xml; charset=utf-8"}


def documented_nginx_block() -> str:
    """The location block of docs/hosting.md, as an organiser would copy it."""
    text = (REPOSITORY / "docs" / "hosting.md").read_text(encoding="utf-8")
    return re.search(r"```nginx\n(.*?)```", text, re.S)[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answer(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read()


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """A sample site built with its base_url and served by nginx at that address."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not shutil.which(nginx):
        pytest.skip("nginx is not installed (apt-get install nginx); .ci/run installs it")
    folder = tmp_path_factory.mktemp("hosting")
    port = free_port()
    base_url = f"http://127.0.0.1:{port}{SUB_PATH}"
    site = folder / "site"
    site.mkdir()
    (site / "agenda.yaml").write_text(SAMPLE_AGENDA.replace(
        "  locales: [en, es, fr]\n", f"  locales: [en, es, fr]\n  base_url: {base_url}\n"))
    dist = folder / "dist"
    build_site(site, dist, pdf=True)
    server_block = documented_nginx_block().replace("/var/www/prtr/", f"{dist}/")
    config = folder / "nginx.conf"
    config.write_text(f"""
user root;
daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{}}
http {{
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    default_type application/octet-stream;
    server {{
        listen 127.0.0.1:{port};
        {server_block}
    }}
}}
""")
    process = subprocess.Popen([nginx, "-p", str(folder), "-c", str(config), "-e",
                                str(folder / "error.log")], stderr=subprocess.PIPE)
    deadline = time.monotonic() + 20
    while True:
        try:
            urllib.request.urlopen(base_url, timeout=2).read()
            break
        except (urllib.error.URLError, ConnectionError):
            assert process.poll() is None, process.stderr.read().decode()
            assert time.monotonic() < deadline, "nginx did not start"
            time.sleep(0.05)
    yield site, dist, base_url
    process.terminate()  # by its PID
    process.wait(timeout=10)


def test_every_file_is_served_with_its_type_under_the_sub_path(published):
    site, dist, base_url = published
    files = [path.relative_to(dist).as_posix() for path in dist.rglob("*") if path.is_file()]
    assert any(name.endswith(".pdf") for name in files)
    checked = 0
    for name in sorted(files):
        if name in (".htaccess", "_headers", "_redirects"):
            continue  # for other hosts
        url = base_url + (name[:-len("index.html")] if name.endswith("index.html") else name)
        status, kind, body = answer(url)
        suffix = "." + name.rsplit(".", 1)[-1]
        assert (status, kind) == (200, TYPES[suffix]), url
        assert body == (dist / name).read_bytes(), url
        checked += 1
    assert checked == len(files) - 3 > 25


def test_a_missing_page_at_any_depth_answers_404_with_the_sites_page(published):
    site, dist, base_url = published
    for missing in ("nope", "en/agenda/nope/", "fr/agenda/opening/deeper/still"):
        status, kind, body = answer(base_url + missing)
        assert (status, kind) == (404, "text/html; charset=utf-8")
        assert body == (dist / "404.html").read_bytes()
    # With a base URL its stylesheet and links are absolute: they work from anywhere.
    assert f'href="{base_url}assets/site.' in body.decode()
    assert f'href="{base_url}en/"' in body.decode()


def test_check_url_finds_the_published_copy_complete(published):
    site, dist, base_url = published
    result = run_cli("check", "--site", str(site), "--url", base_url)
    assert (result.returncode, result.stdout, result.stderr) == (0, f"{base_url}: OK.\n", "")


def test_check_url_names_what_is_missing_or_wrong(published):
    site, dist, base_url = published
    kept = (dist / "en/calendar.ics").read_bytes()
    (dist / "en/calendar.ics").unlink()
    try:
        result = run_cli("check", "--site", str(site), "--url", base_url)
    finally:
        (dist / "en/calendar.ics").write_bytes(kept)
    assert (result.returncode, result.stderr) == (1, (
        f"error: {base_url}en/calendar.ics: answers 404, not 200: the file is missing. Upload "
        "en/calendar.ics of the build.\n"))
    other = run_cli("check", "--site", str(site), "--url", "http://127.0.0.1:9/elsewhere/")
    assert (other.returncode, other.stderr) == (1, (
        f"error: http://127.0.0.1:9/elsewhere/: the site is published at {base_url} "
        "(site.base_url). Check that address, or change base_url.\n"))
