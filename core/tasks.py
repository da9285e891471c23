"""The in-process task backend of development and tests, able to hold back index upkeep during bulk loads.

Every page save enqueues Wagtail's reference-index and search-index updates; run immediately, a page
saved, revised and published is re-indexed three times (load_demo: ~2,300 tasks, a third of its time).
Inside `deferred_index_tasks()` those idempotent tasks are collected, one per task and object, and run
once each when the block ends — the same tasks on the same objects, reading the final state. Any other
task (e-mail) still runs at once. Outside the block the backend is django-tasks' ImmediateBackend.
"""

import threading
from contextlib import contextmanager

from django_tasks.backends.immediate import ImmediateBackend as BaseImmediateBackend

# Tasks that read the object's current state when they run, so running the last one alone is enough.
DEFERRABLE = {
    "wagtail.tasks.update_reference_index_task",
    "modelsearch.tasks.insert_or_update_object_task",
}

_state = threading.local()


class ImmediateBackend(BaseImmediateBackend):
    def _execute_task(self, task_result):
        held = getattr(_state, "held", None)
        if held is not None and task_result.task.module_path in DEFERRABLE:
            key = (task_result.task.module_path, repr(task_result.args), repr(task_result.kwargs))
            held.pop(key, None)  # keep the order of the last request
            held[key] = (self, task_result)
            return
        super()._execute_task(task_result)


@contextmanager
def deferred_index_tasks():
    """Collect the index tasks enqueued in the block (this thread) and run each distinct one at its end."""
    if getattr(_state, "held", None) is not None:  # nested: the outer block runs them
        yield
        return
    _state.held = {}
    try:
        yield
    finally:
        held, _state.held = _state.held, None
        for backend, task_result in held.values():
            BaseImmediateBackend._execute_task(backend, task_result)
