"""Render the CLI reference (docs/cli.md) from the commands themselves, so it cannot go stale:
``python -m firewatch.cli.reference > docs/cli.md``; a test fails when the file differs."""

from __future__ import annotations

import typer.main

from firewatch.cli import app

HEADER = """# Command reference

Generated from the code by `python -m firewatch.cli.reference > docs/cli.md`; a test keeps it
current. Global options come before the command: `firewatch [--home DIR] [--db URL] [--config DIR]
COMMAND …` (see docs/deploy.md for the settings they override).
"""


def _commands(group, prefix: str = ""):
    for name in sorted(group.commands):
        command = group.commands[name]
        if getattr(command, "commands", None):  # a sub-group (Typer vendors its own click)
            yield from _commands(command, f"{prefix}{name} ")
        else:
            yield f"{prefix}{name}", command


def _param_line(param) -> str:
    if param.param_type_name == "argument":
        required = ", required" if param.required else ""
        return f"- `{param.name.upper()}` (argument{required}): {(getattr(param, 'help', '') or '').strip()}"
    names = " / ".join(f"`{opt}`" for opt in [*param.opts, *param.secondary_opts])
    help_text = (getattr(param, "help", "") or "").strip()
    return f"- {names}" + (f": {help_text}" if help_text else "")


def render() -> str:
    root = typer.main.get_command(app)
    parts = [HEADER]
    for name, command in _commands(root):
        summary = (command.help or "").strip()
        params = [p for p in command.params if p.name != "help"]
        parts.append(f"## `firewatch {name}`\n\n{summary}\n")
        if params:
            parts.append("\n".join(_param_line(p) for p in params) + "\n")
    return "\n".join(parts)


if __name__ == "__main__":
    print(render(), end="")
