"""Which models reversion records, and how (serializer.py says why statements are embedded)."""
import reversion

from ..models import Agent, Authority, Collection, Concept, Item, Place


def register_models():
    if reversion.is_registered(Item):
        return
    reversion.register(Item, format="arkiv")
    # Saves through the proxies (the Agent, Place and Concept admins) are signalled with the
    # proxy as sender: each is registered too, all versions going to the concrete model.
    for model in (Authority, Agent, Place, Concept):
        reversion.register(model, format="arkiv", for_concrete_model=True)
    reversion.register(Collection)
