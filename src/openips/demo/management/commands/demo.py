from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from openips.demo.builder import DEMO_PASSWORD, build


class Command(BaseCommand):
    help = "Create the synthetic demonstration network and print its sign-ins (safe to repeat)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2026, help="seed for the synthetic data")

    def handle(self, *args: Any, seed: int, **options: Any) -> None:
        accounts = build(seed=seed)
        self.stdout.write("Demo sign-ins at http://127.0.0.1:8000 (synthetic data only):")
        width = max(len(a.username) for a in accounts)
        for account in accounts:
            where = f" – {account.attached_to}" if account.attached_to else ""
            self.stdout.write(f"  {account.username:<{width}}  {account.role}{where}")
        self.stdout.write(f"Every demo account's password is: {DEMO_PASSWORD}")
