"""The Hanoi Convention event platform: project package and shared app."""

from .celery import app as celery_app

__all__ = ("celery_app",)
