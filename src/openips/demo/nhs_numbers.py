"""Synthetic NHS numbers from the 999 test range, which is never issued to a real person."""

import random

from nhs_number import calculate_checksum


def synthetic_nhs_number(rng: random.Random) -> str:
    while True:
        digits = f"999{rng.randrange(10**6):06d}"
        check = calculate_checksum(digits)
        if check is not None and check != 10:
            return f"{digits}{check}"
