"""A normal install works, and the generated workflows install something that exists (issue 15,
items 1 and 2; issue 23, item 11).

Real installs into fresh virtual environments: a wheel built from this checkout, and a
``git+file://`` install of a clone of it. Both need the package index for the dependencies (pip's
own cache when it has them), so they are end-to-end tests.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import httpx
import pytest

from ecomgit.errors import ConfigError
from ecomgit.install_spec import from_direct_url, package_spec

ROOT = Path(__file__).resolve().parents[2]
PIP_CACHE = Path(os.environ.get("PIP_CACHE_DIR") or Path.home() / ".cache" / "pip")  # read before HOME moves


def outside_env() -> dict[str, str]:
    """This environment without ``PYTHONPATH``: a checkout named there would be what the installed
    ``ecomgit`` imports, and pip would take its ``ecomgit.egg-info`` for an installed ecomgit and skip
    the install (no ``bin/ecomgit``)."""
    return {name: value for name, value in os.environ.items() if name != "PYTHONPATH"}


def run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = env if env is not None else outside_env()
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=600, env=env, check=False
    )
    assert done.returncode == 0, (args, done.stdout[-2000:], done.stderr[-2000:])
    return done


def fresh_venv(path: Path) -> Path:
    """A virtual environment with nothing in it; ``pip`` installs into it from outside (ensurepip's
    own copy of pip took 2 s of each test to install and is not what is tested)."""
    venv.create(path, with_pip=False)
    return path / "bin"


def pip(bin_dir: Path, *args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``pip ARGS`` for the environment of ``bin_dir`` (pip's ``--python``)."""
    return run(sys.executable, "-m", "pip", "--python", bin_dir / "python", *args, cwd=cwd, env=pip_env())


def install(bin_dir: Path, spec: str | Path, cwd: Path) -> None:
    """``pip install SPEC`` into the environment of ``bin_dir``, without compiling every installed
    module to bytecode first (1 s of each install; pip ignores a module that does not compile, and
    the commands run below compile what they import on the way)."""
    pip(bin_dir, "install", "--quiet", "--no-compile", spec, cwd=cwd)


def pip_env() -> dict[str, str]:
    return {**outside_env(), "PIP_CACHE_DIR": str(PIP_CACHE), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}


@pytest.mark.e2e
def test_a_wheel_in_a_fresh_venv_runs_the_demo_and_the_emulator_from_an_empty_folder(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", dist, ROOT, cwd=tmp_path, env=pip_env())
    [wheel] = dist.glob("ecomgit-*.whl")
    bin_dir = fresh_venv(tmp_path / "venv")
    install(bin_dir, wheel, cwd=tmp_path)
    empty = tmp_path / "empty"
    empty.mkdir()
    demo = run(bin_dir / "ecomgit", "demo", cwd=empty)  # before: "cannot find the bundled sample-catalog/"
    assert (empty / "ecomgit-demo" / "products").is_dir() and "ecomgit-demo" in demo.stdout
    with subprocess.Popen(
        [bin_dir / "ecomgit", "emulator", "serve", "--port", "0"],
        cwd=empty,
        stdout=subprocess.PIPE,
        text=True,
        env=outside_env(),
    ) as server:
        assert server.stdout is not None
        url = server.stdout.readline().strip()
        try:
            count = httpx.get(f"{url}/nl/products/count.json").json()["count"]
        finally:
            server.terminate()
    assert count == len(list((ROOT / "ecomgit" / "sample_catalog" / "products").iterdir()))


@pytest.mark.e2e
def test_the_workflows_of_a_git_install_name_a_spec_pip_can_download(tmp_path: Path) -> None:
    """Installed from a git URL, ecomgit writes that URL pinned to its commit into the workflows."""
    source = tmp_path / "ecomgit.git"
    run("git", "clone", "--quiet", "--bare", ROOT, source, cwd=tmp_path)
    commit = run("git", "rev-parse", "HEAD", cwd=source).stdout.strip()
    bin_dir = fresh_venv(tmp_path / "venv")
    install(bin_dir, f"git+file://{source}", cwd=tmp_path)
    spec = run(bin_dir / "python", "-c", "from ecomgit.install_spec import package_spec; print(package_spec())",
               cwd=tmp_path).stdout.strip()  # fmt: skip
    assert spec == f"git+file://{source}@{commit}"  # pinned: a moved branch cannot change what runs
    with subprocess.Popen(
        [bin_dir / "ecomgit", "emulator", "serve", "--port", "0"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        text=True,
        env=outside_env(),
    ) as shop:
        assert shop.stdout is not None
        url = shop.stdout.readline().strip()
        try:
            run(bin_dir / "ecomgit", "init", tmp_path / "mirror", "--api-url", url, "--ci", "github", cwd=tmp_path)
        finally:
            shop.terminate()
    workflow = (tmp_path / "mirror" / ".github" / "workflows" / "ecomgit-sync.yml").read_text()
    assert f"vars.ECOMGIT_PACKAGE || '{spec}'" in workflow
    pip(bin_dir, "download", "--quiet", "--no-deps", "-d", tmp_path / "dl", spec, cwd=tmp_path)
    assert list((tmp_path / "dl").iterdir())


def test_an_editable_install_without_package_stops_and_says_what_to_pass() -> None:
    with pytest.raises(ConfigError, match=r"installed from an editable install.*--package 'git\+https://"):
        from_direct_url({"url": f"file://{ROOT}", "dir_info": {"editable": True}})
    with pytest.raises(ConfigError, match="which a CI runner cannot install"):
        from_direct_url({"url": f"file://{ROOT}", "dir_info": {}})
    # the suite itself runs from an editable install
    with pytest.raises(ConfigError, match="--package"):
        package_spec()


def test_the_spec_of_each_kind_of_install() -> None:
    vcs = {"url": "https://github.com/acme/ecomgit", "vcs_info": {"vcs": "git", "commit_id": "a" * 40}}
    assert from_direct_url(vcs) == f"git+https://github.com/acme/ecomgit@{'a' * 40}"
    archive = {"url": "https://files.example/ecomgit-1.0.tar.gz", "archive_info": {"hashes": {"sha256": "b" * 64}}}
    assert from_direct_url(archive) == f"https://files.example/ecomgit-1.0.tar.gz#sha256={'b' * 64}"
    assert package_spec(" ecomgit==1.2.0 ") == "ecomgit==1.2.0"
    for bad in ("ecomgit' || curl evil", "ecomgit\nrun: x", "ecomgit @ ${{ secrets.X }}"):
        with pytest.raises(ConfigError, match="is not one pip requirement"):
            package_spec(bad)
