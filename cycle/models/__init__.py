"""The werkcyclus, its four products (the lifecycle headers) and the content of each product
as child models. Split per product so that each product's content lives in its own module."""

from .werkcyclus import *  # noqa: F403
from .werkcyclus import (  # noqa: F401 - used by services and tests
    FASE_VOLGORDE,
    OPENBARE_STATUSSEN,
    PRODUCT_MODELLEN,
    PRODUCT_PER_SOORT,
    PRODUCT_RELATIONS,
    PRODUCT_VAN_FASE,
    STANDAARD_TAAKVERDELING,
    VASTGESTELDE_STATUSSEN,
    WERKFASEN,
)
from .wijkagenda import *  # noqa: F403
from .wijkakkoord import *  # noqa: F403
from .wijkanalyse import *  # noqa: F403
from .wijkmt import *  # noqa: F403
from .wijkprogramma import *  # noqa: F403
