"""Runtime helpers that the codemod copies into migrated projects."""

from __future__ import annotations
