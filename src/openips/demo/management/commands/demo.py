import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from openips.demo import scale
from openips.demo.builder import DEMO_PASSWORD, build


class Command(BaseCommand):
    help = (
        "Create the synthetic demonstration network and print its sign-ins (safe to repeat); "
        "with --scale, a synthetic network of that size for benchmarks."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2026, help="seed for the synthetic data")
        parser.add_argument(
            "--scale",
            choices=sorted(scale.SIZES),
            help="build a synthetic network of this size: "
            + "; ".join(
                f"{name} {s.services} services, {s.episodes:,} episodes"
                for name, s in scale.SIZES.items()
            ),
        )

    def handle(self, *args: Any, seed: int, **options: Any) -> None:
        if options["scale"]:
            self._scale(options["scale"], seed)
            return
        accounts = build(seed=seed)
        self.stdout.write("Demo sign-ins at http://127.0.0.1:8000 (synthetic data only):")
        width = max(len(a.username) for a in accounts)
        for account in accounts:
            where = f" – {account.attached_to}" if account.attached_to else ""
            self.stdout.write(f"  {account.username:<{width}}  {account.role}{where}")
        self.stdout.write(f"Every demo account's password is: {DEMO_PASSWORD}")

    def _scale(self, name: str, seed: int) -> None:
        began = time.monotonic()
        interactive = sys.stderr.isatty()

        def progress(done: scale.Counters, total: int) -> None:
            line = (
                f"{done.services}/{total} services, {done.people:,} people, "
                f"{done.contacts:,} contacts, {done.jobs:,} jobs, "
                f"{time.monotonic() - began:.0f} s"
            )
            if interactive:
                self.stderr.write(f"\r{line}", ending="")
            elif done.services == total or done.services % 10 == 0:
                self.stderr.write(line)

        built = scale.build(name, seed=seed, progress=progress)
        if interactive:
            self.stderr.write("")
        if not built.services:
            self.stdout.write(f"The {name} network is already there: nothing added.")
            return
        self.stdout.write(
            f"Built the {name} network: {built.services} services, {built.people:,} people, "
            f"{built.contacts:,} contacts, {built.jobs:,} jobs in "
            f"{time.monotonic() - began:.0f} s. Sign in as scale-{name}-es, "
            f"scale-{name}-team-leader, scale-{name}-manager or scale-{name}-commissioner "
            f"(password {DEMO_PASSWORD})."
        )
