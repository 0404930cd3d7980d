#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks the Flatpak manifest: it cannot be built here (no network), so
this is what keeps it honest. TAP output."""

import json
import re
import sys

ALLOWED_FINISH_ARGS = {
    "--share=network",
    "--share=ipc",
    "--socket=fallback-x11",
    "--socket=wayland",
    "--device=dri",
    "--talk-name=org.freedesktop.secrets",
}

results = []


def check(ok, what, detail=""):
    results.append((bool(ok), what, detail))


def main(path):
    try:
        with open(path, encoding="utf-8") as f:
            manifest = json.load(f)
    except (OSError, ValueError) as e:
        print("1..1")
        print(f"not ok 1 - {path} is valid JSON # {e}")
        return 1

    check(manifest.get("app-id") == "io.github.ferrydb.Ferry", "app-id is io.github.ferrydb.Ferry",
          repr(manifest.get("app-id")))
    check(manifest.get("runtime") == "org.gnome.Platform", "runtime is org.gnome.Platform",
          repr(manifest.get("runtime")))
    check(manifest.get("sdk") == "org.gnome.Sdk", "sdk is org.gnome.Sdk", repr(manifest.get("sdk")))
    version = str(manifest.get("runtime-version", ""))
    check(re.fullmatch(r"[0-9]+", version) and int(version) >= 45,
          "runtime-version is a stable GNOME runtime (45 or newer)", repr(version))
    check(manifest.get("command") == "ferry", "command is ferry", repr(manifest.get("command")))

    finish_args = manifest.get("finish-args", [])
    extra = sorted(set(finish_args) - ALLOWED_FINISH_ARGS)
    missing = sorted(ALLOWED_FINISH_ARGS - set(finish_args))
    check(not extra and not missing and len(finish_args) == len(set(finish_args)),
          "finish-args are exactly the allowed set",
          f"extra: {extra}, missing: {missing}")

    modules = [m for m in manifest.get("modules", []) if isinstance(m, dict)]
    names = [m.get("name") for m in modules]

    pg = next((m for m in modules if m.get("name") == "postgresql"), None)
    check(pg is not None, "a postgresql module exists", f"modules: {names}")
    if pg is not None:
        sources = pg.get("sources", [])
        archive = [s for s in sources if isinstance(s, dict) and s.get("url")]
        ok = bool(archive) and all(
            re.match(r"https://ftp\.postgresql\.org/pub/source/v15\.[0-9]+/postgresql-15\.[0-9]+\.tar\.(bz2|gz)$", s["url"])
            and re.fullmatch(r"[0-9a-f]{64}", s.get("sha256", ""))
            for s in archive)
        check(ok, "postgresql is a pinned 15.x tarball from ftp.postgresql.org with a sha256", repr(archive))
        commands = " ".join(pg.get("build-commands", []))
        for part in ("src/interfaces/libpq", "src/bin/pg_dump", "src/bin/psql", "src/include"):
            check(part in commands, f"postgresql installs {part}", commands)
        check("--without-readline" in commands or "--without-readline" in pg.get("config-opts", []),
              "postgresql is built --without-readline")

    for m in modules:
        for s in m.get("sources", []):
            if isinstance(s, dict) and s.get("type") in ("archive", "file"):
                check(re.fullmatch(r"[0-9a-f]{64}", s.get("sha256", "")),
                      f"module {m.get('name')}: {s.get('url')} has a sha256")

    ferry = modules[-1] if modules else {}
    check(ferry.get("name") == "ferry", "ferry is the last module", f"modules: {names}")
    check(ferry.get("buildsystem") == "meson", "ferry builds with meson", repr(ferry.get("buildsystem")))
    check(any(isinstance(s, dict) and s.get("type") == "dir" and s.get("path") == ".."
              for s in ferry.get("sources", [])),
          "ferry is built from the source tree (type dir, path ..)")

    print(f"1..{len(results)}")
    failed = 0
    for i, (ok, what, detail) in enumerate(results, 1):
        if ok:
            print(f"ok {i} - {what}")
        else:
            failed += 1
            print(f"not ok {i} - {what}")
            if detail:
                print(f"# {detail}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
