"""Helpers the test modules share (not tests themselves): the project root, the feature corpus,
a raw-socket server for faults, and schema instances.

ROOT is computed here, at a fixed depth, so a test module gives the same paths from any folder.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
