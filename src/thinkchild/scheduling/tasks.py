from django.tasks import task

from thinkchild.access.context import acting_through
from thinkchild.access.models import Channel
from thinkchild.scheduling.registry import registered_ticks


@task
def tick_run(name: str) -> str:
    """Run one registered tick in the worker."""
    tick = registered_ticks().get(name)
    if tick is None:
        return f"no tick named {name}"
    with acting_through(Channel.TASK):
        tick.run()
    return f"ran {name}"
