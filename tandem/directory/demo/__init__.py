"""The demo district: a deterministic synthetic school district to try Tandem with and to
benchmark on (`tandem demo`)."""

from tandem.directory.demo.district import (
    DemoSummary,
    FamilySignIn,
    StaffSignIn,
    build_demo_district,
    demo_district,
    demo_sign_ins,
    reset_demo_district,
)
from tandem.directory.demo.staff import DEMO_PASSWORD

__all__ = [
    "DEMO_PASSWORD",
    "DemoSummary",
    "FamilySignIn",
    "StaffSignIn",
    "build_demo_district",
    "demo_district",
    "demo_sign_ins",
    "reset_demo_district",
]
