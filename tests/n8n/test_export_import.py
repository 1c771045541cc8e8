"""Workflows kept in git and edited in the n8n editor (issue #22, items 1, 2, 4 and the bad input): an unchanged
workflow exports byte for byte; an edit made as the editor makes it is refused by import (named, nothing
imported), kept by --skip-edited, exported as exactly that change, overwritten only by --force; the exported
file runs in a brand-new n8n. All against a second, fresh n8n (conftest.py), through the real command."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import bcrypt
import httpx
import pytest
from etl.expected import actual_summaries, expected_summaries
from promptsales import n8n_workflows
from promptsales.etl import runner, workflow
from promptsales.localstack.n8n import N8nService, owner_password_hash
from promptsales.n8n_client import SECRET_HEADER, N8nApi, N8nApiError
from promptsales.n8n_workflows import WORKFLOW_DIR
from promptsales_testkit import etl_sample
from promptsales_testkit.etl_world import isolated_etl
from pydantic import SecretStr

pytestmark = pytest.mark.stack

# The installed command itself (tests/n8n/conftest.py runs it the same way; a test module cannot import a
# conftest by name when another folder has one too).
PROMPTSALES = Path(sys.executable).with_name("promptsales")

FILES = sorted(WORKFLOW_DIR.glob("*.json"))
ETL = workflow.WORKFLOW_PATH
# The one change the author makes in the editor: the text of one answer of one node.
REFUSE = "Refuse the request"
OLD_TEXT, NEW_TEXT = "nothing was run. Got: ", "nothing ran. Got: "
# What the tests in this module hand on to the next ones (they run in file order).
handed_on: dict[str, object] = {}


def _copy_of_the_committed_files(tmp_path):
    folder = tmp_path / "n8n-workflows"
    folder.mkdir(parents=True)
    for path in FILES:
        shutil.copy(path, folder / path.name)
    return folder


def _versions(api: N8nApi) -> dict[str, str]:
    return {w["id"]: w["versionId"] for w in api.workflows()}


def _as_the_editor_saves(fresh, current: dict) -> dict:
    """The PATCH body the editor would send for this workflow (every default filled in; editor_save.js)."""
    service: N8nService = fresh.service
    result = subprocess.run(
        [
            str(service._node_bin() / "node"),
            str(WORKFLOW_DIR.parent / "tests" / "n8n" / "editor_save.js"),
            str(service.install_dir()),
        ],
        input=json.dumps(current),
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(result.stdout)


def test_committed_files_are_in_the_normal_form(fresh_n8n):
    """Each file is what `promptsales n8n export` writes for it, so exporting it unchanged changes no byte."""
    documents = [n8n_workflows.read(path) for path in FILES]
    for path, normal in zip(FILES, n8n_workflows.normalise(documents, fresh_n8n.service.minimal_parameters)):
        assert n8n_workflows.render(normal) == path.read_text(), path.name


def test_an_unchanged_workflow_exports_byte_for_byte(fresh_n8n, tmp_path):
    imported = fresh_n8n.cli("n8n", "import")
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.count("imported ") == len(FILES)
    folder = _copy_of_the_committed_files(tmp_path)
    exported = fresh_n8n.cli("n8n", "export", "--dir", str(folder))
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout.splitlines() == [f"unchanged {path.name}" for path in FILES]
    for path in FILES:
        assert (folder / path.name).read_bytes() == path.read_bytes(), path.name


def test_an_edit_in_n8n_is_kept_by_import_and_exported_as_exactly_that_change(fresh_n8n, tmp_path):
    with N8nApi(fresh_n8n.settings) as api:
        body = _as_the_editor_saves(fresh_n8n, api.workflow(workflow.WORKFLOW_ID))
        [node] = [n for n in body["nodes"] if n["name"] == REFUSE]
        assert node["parameters"]["responseBody"].count(OLD_TEXT) == 1
        node["parameters"]["responseBody"] = node["parameters"]["responseBody"].replace(OLD_TEXT, NEW_TEXT)
        api.update(workflow.WORKFLOW_ID, body)
        edited = _versions(api)

        refused = fresh_n8n.cli("n8n", "import")
        assert refused.returncode == 1
        assert len(refused.stderr.strip().splitlines()) == 1
        assert refused.stderr.startswith(
            "promptsales n8n: changed in n8n since the last import: "
            'etl-promptsales-11min.json ("PromptSales ETL every 11 minutes'
        )
        assert "Nothing was imported" in refused.stderr and "--force" in refused.stderr
        assert _versions(api) == edited  # nothing was imported, not even the workflows nobody edited

        kept = fresh_n8n.cli("n8n", "import", "--skip-edited", str(ETL))
        assert kept.returncode == 0, kept.stderr
        assert kept.stdout.startswith("kept     etl-promptsales-11min.json")
        assert _versions(api) == edited

        folder = _copy_of_the_committed_files(tmp_path)
        exported = fresh_n8n.cli("n8n", "export", "--dir", str(folder), "etl-promptsales-11min")
        assert exported.returncode == 0, exported.stderr
        assert (
            exported.stdout
            == "exported  etl-promptsales-11min.json (id psEtlPromptSales11min): changed, +1 -1 lines\n"
        )
        # Exactly the one change, worked out on the committed text itself.
        assert (folder / ETL.name).read_text() == ETL.read_text().replace(OLD_TEXT, NEW_TEXT, 1)
        handed_on["exported"] = tmp_path / "edited-etl.json"
        shutil.copy(folder / ETL.name, handed_on["exported"])

        forced = fresh_n8n.cli("n8n", "import", "--force", str(ETL))
        assert forced.returncode == 0, forced.stderr
        assert _versions(api)[workflow.WORKFLOW_ID] != edited[workflow.WORKFLOW_ID]
    folder_after = _copy_of_the_committed_files(tmp_path / "after")
    assert (
        fresh_n8n.cli("n8n", "export", "--dir", str(folder_after), "etl-promptsales-11min").stdout
        == "unchanged etl-promptsales-11min.json\n"
    )  # --force put the committed file back


def test_the_exported_workflow_runs_in_a_brand_new_n8n(fresh_n8n, stack):
    exported = handed_on.get("exported")
    assert exported is not None, "runs after the export test"
    fresh_n8n.wipe()
    with N8nApi(fresh_n8n.settings) as api:
        assert api.workflows() == []  # nothing left of before
    with isolated_etl(stack, n8n=fresh_n8n.service, workflows=(workflow.ON_ERROR_PATH, exported)) as world:
        size = etl_sample.SampleSize(campaigns=12)
        etl_sample.load_sources(world.ads, world.crm, size, seed=3)
        etl_sample.load_images(world.mongo_db, size)
        entry = runner.run_once(world.n8n, world.central)
        assert entry["status"] == "succeeded", entry
        assert (
            actual_summaries(world.central)["campaign"]
            == expected_summaries(world.ads, world.crm)["campaign"]
        )
        refused = httpx.post(
            f"{fresh_n8n.settings.n8n.url()}/webhook/{workflow.WEBHOOK_PATH}",
            json={"full": "yes"},
            headers={SECRET_HEADER: stack.n8n.webhook_secret.get_secret_value()},
            timeout=60,
        )
        assert refused.status_code == 400 and NEW_TEXT in refused.json()["message"]  # the edit, running


# -- bad input: one line, exit 2 (invalid input or usage; 1 for what is missing), nothing written -----------------------------------------------


def _one_line(result: subprocess.CompletedProcess, code: int, start: str) -> None:
    assert result.returncode == code, (result.stdout, result.stderr)
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert start in result.stderr, result.stderr


def test_export_of_a_workflow_n8n_does_not_hold(fresh_n8n, tmp_path):
    folder = _copy_of_the_committed_files(tmp_path)
    _one_line(
        fresh_n8n.cli("n8n", "export", "--dir", str(folder), "no-such-workflow"),
        1,
        "promptsales n8n: no workflow 'no-such-workflow' in n8n",
    )
    assert sorted(p.name for p in folder.iterdir()) == [p.name for p in FILES]
    assert all((folder / p.name).read_bytes() == p.read_bytes() for p in FILES)


def test_export_while_n8n_is_down(fresh_n8n, tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        nobody = probe.getsockname()[1]  # free once the probe closes: nothing listens there
    folder = _copy_of_the_committed_files(tmp_path)
    down = subprocess.run(
        [str(PROMPTSALES), "n8n", "export", "--dir", str(folder)],
        env={**fresh_n8n.env, "N8N_PORT": str(nobody)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    _one_line(down, 1, f"promptsales n8n: n8n is not reachable at http://127.0.0.1:{nobody}")
    assert all((folder / p.name).read_bytes() == p.read_bytes() for p in FILES)


@pytest.mark.parametrize(
    "content,says",
    [
        ("[]", "is not a workflow: an exported n8n workflow is an object"),
        ('{"nodes": [', "is not a readable workflow: not JSON"),
        ('{"nodes": [], "connections": {}}', 'has no workflow "id"'),
    ],
)
def test_import_of_a_file_that_is_not_a_workflow(fresh_n8n, tmp_path, content, says):
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    pid = fresh_n8n.service.proc.pid()
    _one_line(fresh_n8n.cli("n8n", "import", str(bad)), 2, says)
    assert fresh_n8n.service.proc.pid() == pid  # n8n was not even restarted


def test_import_of_two_files_with_one_id(fresh_n8n, tmp_path):
    copy = tmp_path / "copy-of-the-etl.json"
    shutil.copy(ETL, copy)
    pid = fresh_n8n.service.proc.pid()
    _one_line(
        fresh_n8n.cli("n8n", "import", str(ETL), str(copy)),
        2,
        "etl-promptsales-11min.json and copy-of-the-etl.json have the same workflow id 'psEtlPromptSales11min'",
    )
    assert fresh_n8n.service.proc.pid() == pid


def test_force_and_skip_edited_together_is_a_usage_error(fresh_n8n):
    result = fresh_n8n.cli("n8n", "import", "--force", "--skip-edited")
    assert result.returncode == 2 and "not allowed with argument" in result.stderr


def test_a_workflow_file_is_written_whole_or_not_at_all(tmp_path):
    """write() renames a finished temporary file over the target: when that fails, the target is as before
    and no temporary file is left behind."""
    target = tmp_path / "flow.json"
    target.mkdir()  # a rename over a directory fails
    (target / "keep").write_text("x")
    with pytest.raises(OSError):
        n8n_workflows.write(target, "{}\n")
    assert [p.name for p in tmp_path.iterdir()] == ["flow.json"] and (target / "keep").read_text() == "x"
    done = tmp_path / "done.json"
    n8n_workflows.write(done, "{}\n")
    assert done.read_text() == "{}\n" and sorted(p.name for p in tmp_path.iterdir()) == [
        "done.json",
        "flow.json",
    ]


# -- the owner account (item 5) --------------------------------------------------------------------------------


def test_the_owner_from_settings_logs_in_and_nobody_else_can_claim_the_instance(fresh_n8n):
    with N8nApi(fresh_n8n.settings) as api:
        assert isinstance(api.workflows(), list)
    wrong = fresh_n8n.settings.model_copy(
        update={
            "n8n": fresh_n8n.settings.n8n.model_copy(
                update={
                    "owner_email": "someone@promptsales.local",
                    "owner_password": SecretStr("guess-1234-Ab"),
                }
            )
        }
    )
    with (
        N8nApi(wrong) as api,
        pytest.raises(N8nApiError, match="n8n refused the login of someone@promptsales.local"),
    ):
        api.workflows()
    claim = httpx.post(
        f"{fresh_n8n.settings.n8n.url()}/rest/owner/setup",
        timeout=30,
        json={
            "email": "intruder@promptsales.local",
            "firstName": "I",
            "lastName": "N",
            "password": "Intruder-1234",
        },
    )
    assert claim.status_code in (400, 401, 403), claim.text  # the first visitor to /setup is not made owner


def test_the_owner_password_hash_is_bcrypt_stable_and_follows_the_password(stack):
    password = stack.n8n.owner_password.get_secret_value().encode()
    first = owner_password_hash(stack)
    assert bcrypt.checkpw(password, first.encode())
    assert owner_password_hash(stack) == first  # the same at every start: sessions survive a restart
    other = stack.model_copy(
        update={"n8n": stack.n8n.model_copy(update={"owner_password": SecretStr("other-Pw-42")})}
    )
    changed = owner_password_hash(other)
    assert changed[:29] != first[:29] and bcrypt.checkpw(b"other-Pw-42", changed.encode())


@pytest.mark.parametrize(
    "password,works", [("Owner-pass-42", True), ("short1A", False), ("no-digit-Here", False)]
)
def test_owner_hash_gives_the_bcrypt_hash_kubernetes_takes(password, works):
    result = subprocess.run(
        [str(PROMPTSALES), "n8n", "owner-hash"],
        input=password + "\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if works:
        assert result.returncode == 0, result.stderr
        assert bcrypt.checkpw(password.encode(), result.stdout.strip().encode())
    else:
        # A password the policy refuses is invalid input: exit 2 (issue #25; it was 1).
        _one_line(
            result, 2, "the owner password needs 8 to 64 characters, at least one digit and one upper-case"
        )
