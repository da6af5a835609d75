"""prevention.pdf.html_to_pdf: each PDF is laid out in a child process forked
for it, so the web worker keeps none of WeasyPrint's memory; a renderer that
fails, dies or runs too long gives a clear error and leaves no process behind."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from prevention import pdf

ROOT = Path(__file__).resolve().parents[2]

# The child path runs in a fresh process of its own: the test run itself keeps
# threads of earlier tests (a browser driver's, a broker client's), and a fork
# next to them may hang, which is why html_to_pdf renders in place there.
SCENARIOS = r"""
import json, os, sys, time
sys.path.insert(0, sys.argv[1])
import django
django.setup()
from prevention import pdf

def children():
    found = set()
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == os.getpid() and fields[0] != "Z":
            found.add(int(entry))
    return found

def error_of(html, render, **options):
    pdf._render_here = render
    try:
        pdf.html_to_pdf(html, **options)
    except pdf.PdfRenderError as exc:
        return str(exc)
    finally:
        pdf._render_here = real
    return None

out = {"threads": pdf._threads(), "may_fork": pdf._may_fork()}
real = pdf._render_here
pdf._warm_up()
document = pdf.html_to_pdf("<h1>Handvat</h1>" + "<p>Regel</p>" * 40)
out["real"] = [document.content[:5].decode(), document.pages]
pdf._render_here = lambda html: pdf.RenderedPdf(content=str(os.getpid()).encode(), pages=1)
out["renderer_pid"] = int(pdf.html_to_pdf("<p>x</p>").content)
pdf._render_here = real
out["pid"] = os.getpid()

def broken(html):
    raise ValueError("no such font")

out["failing"] = error_of("<p>x</p>", broken)
out["dying"] = error_of("<p>x</p>", lambda html: os._exit(3))
before, started = children(), time.monotonic()
out["slow"] = error_of("<p>x</p>", lambda html: time.sleep(60), timeout=0.5)
out["slow_seconds"] = time.monotonic() - started
out["left_behind"] = sorted(children() - before)
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def child_path() -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings")}
    done = subprocess.run(
        [sys.executable, "-c", SCENARIOS, str(ROOT)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_fresh_web_process_may_fork(child_path):
    assert child_path["threads"] == 1
    assert child_path["may_fork"] is True


def test_it_makes_the_pdf_in_a_child_process(child_path):
    assert child_path["renderer_pid"] != child_path["pid"]


def test_the_pdf_from_the_child_is_the_real_one(child_path):
    assert child_path["real"] == ["%PDF-", 2]


def test_a_failing_renderer_gives_an_error_naming_the_cause(child_path):
    assert "ValueError: no such font" in child_path["failing"]


def test_a_renderer_that_dies_gives_an_error(child_path):
    assert "stopped without a result" in child_path["dying"]


def test_a_renderer_that_runs_too_long_is_stopped(child_path):
    assert "took longer than 0.5 s" in child_path["slow"]
    assert child_path["slow_seconds"] < 10
    assert child_path["left_behind"] == []


def test_it_forks_only_when_no_other_thread_runs():
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not pdf._may_fork(wait=0.05)
    finally:
        stop.set()
        thread.join()


def test_it_counts_the_threads_of_c_libraries_too():
    assert pdf._threads() == len(os.listdir("/proc/self/task")) >= threading.active_count()


def test_it_waits_for_a_passing_thread_to_end(monkeypatch):
    counts = iter([2, 2, 1])
    monkeypatch.setattr(pdf, "_threads", lambda: next(counts))

    assert pdf._may_fork(wait=1.0)


def test_with_other_threads_running_it_renders_in_place(monkeypatch):
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        monkeypatch.setattr(
            pdf, "_render_here", lambda html: pdf.RenderedPdf(content=str(os.getpid()).encode(), pages=1)
        )
        result = pdf.html_to_pdf("<p>x</p>")
    finally:
        stop.set()
        thread.join()

    assert int(result.content) == os.getpid()
