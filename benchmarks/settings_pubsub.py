"""Production settings with channels-redis's publish/subscribe layer instead of its default
(list-based) one: `benchmarks/conference_live.py --layer pubsub` compares the two.

With the default layer a group message is copied into Redis once per subscriber and each
daphne process pops them one at a time; with the pub/sub layer it is published once per
group and every process that has subscribers fans it out in memory.
"""

from ashyq.settings.production import *  # noqa: F403
from ashyq.settings.production import REDIS_URL, env

CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
        "CONFIG": {"hosts": [REDIS_URL], "prefix": env("REDIS_PREFIX", default="ashyq")},
    }
}
