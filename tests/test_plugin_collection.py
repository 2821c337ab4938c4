"""The pytest plugin stays out of other projects: journeys are collected only where asked (the
`onevoice_journeys` folders, default journeys/, and paths given on the command line), and a YAML
file that is not a journey (a CI file, a Helm template) is never an error."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

JOURNEY = """\
name: {name}
base_url: http://127.0.0.1:9/
touchpoints:
  - {{id: home, url: /}}
"""


@pytest.fixture
def foreign_project(pytester):
    """A project that has onevoice installed and YAML of its own that onevoice cannot read."""
    pytester.makefile(".yaml", ci="stages: [build\n  test: {script: [make]")  # broken YAML
    helm = pytester.path / "chart" / "templates"
    helm.mkdir(parents=True)
    (helm / "deployment.yaml").write_text("metadata:\n  name: {{ .Release.Name }}\n  labels: {{- include \"x\" . | nindent 4 }}\n")
    pytester.makepyfile(test_own="def test_own():\n    assert 1 + 1 == 2\n")
    return pytester


def test_a_project_with_broken_yaml_passes_its_own_pytest(foreign_project):
    foreign_project.runpytest_subprocess("--collect-only", "-q").assert_outcomes()
    foreign_project.runpytest_subprocess().assert_outcomes(passed=1)
    foreign_project.runpytest_subprocess(".").assert_outcomes(passed=1)


def test_a_project_without_journeys_loads_no_engine_nor_browser_library(foreign_project):
    foreign_project.makepyfile(test_modules="""
import sys

def test_nothing_of_the_capture_stack_is_imported():
    loaded = {name for name in sys.modules if name.split(".")[0] in ("playwright", "onevoice")}
    assert "onevoice.plugin" in loaded  # the plugin is there
    assert not loaded & {"playwright", "onevoice.session", "onevoice.engine", "onevoice.model"}, sorted(loaded)
""")
    foreign_project.runpytest_subprocess("-p", "no:xdist").assert_outcomes(passed=2)


def test_a_project_without_journeys_gets_no_report_folder_nor_engine_also_under_xdist(foreign_project):
    foreign_project.makeconftest("""
import sys

def pytest_sessionfinish(session):
    if not hasattr(session.config, "workerinput"):  # the xdist controller, which hands workers their folders
        loaded = sorted(name for name in sys.modules if name.split(".")[0] in ("playwright", "onevoice"))
        (session.config.rootpath / "controller-modules.txt").write_text("\\n".join(loaded))
""")
    foreign_project.runpytest_subprocess("-n", "2").assert_outcomes(passed=1)

    assert not (foreign_project.path / "reports").exists()
    assert not list(foreign_project.path.rglob(".*staging*"))
    loaded = set((foreign_project.path / "controller-modules.txt").read_text().split())
    assert "onevoice.runsession" in loaded  # the session that hands workers their folders is made
    assert not loaded & {"playwright", "onevoice.session", "onevoice.engine", "onevoice.model", "onevoice.report.html"}


def test_journeys_are_collected_from_journeys_and_from_paths_given(foreign_project):
    (foreign_project.path / "journeys").mkdir()
    (foreign_project.path / "journeys" / "home.yaml").write_text(JOURNEY.format(name="Home"))
    (foreign_project.path / "elsewhere").mkdir()
    (foreign_project.path / "elsewhere" / "other.yaml").write_text(JOURNEY.format(name="Other"))

    default = foreign_project.runpytest_subprocess("--collect-only", "-q", "journeys", "test_own.py")
    default.stdout.fnmatch_lines(["journeys/home.yaml::Home", "test_own.py::test_own"])
    walked = foreign_project.runpytest_subprocess("--collect-only", "-q", ".")
    walked.stdout.fnmatch_lines(["elsewhere/other.yaml::Other", "journeys/home.yaml::Home", "test_own.py::test_own"])
    plain = foreign_project.runpytest_subprocess("--collect-only", "-q", "-p", "no:cacheprovider")
    assert "Other" not in plain.stdout.str() and "journeys/home.yaml::Home" in plain.stdout.str()


def test_the_ini_option_names_the_journey_folders(foreign_project):
    (foreign_project.path / "e2e").mkdir()
    (foreign_project.path / "e2e" / "shop.yaml").write_text(JOURNEY.format(name="Shop"))
    (foreign_project.path / "journeys").mkdir()
    (foreign_project.path / "journeys" / "home.yaml").write_text(JOURNEY.format(name="Home"))
    foreign_project.makeini("[pytest]\nonevoice_journeys = e2e\n")

    result = foreign_project.runpytest_subprocess("--collect-only", "-q")

    result.stdout.fnmatch_lines(["e2e/shop.yaml::Shop", "test_own.py::test_own"])
    assert "Home" not in result.stdout.str()


def test_a_malformed_journey_is_still_reported_with_its_line(pytester):
    pytester.makefile(".yaml", typo="name: T\ntouchpoints:\n  - {id: home, url: [/\n")
    result = pytester.runpytest_subprocess("typo.yaml")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*typo.yaml:*malformed YAML*"])
