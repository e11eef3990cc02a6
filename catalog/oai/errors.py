"""The OAI-PMH error conditions, one class per code (OAI-PMH 2.0, section 3.6).

A verb raises one of these, or an ExceptionGroup of them when a request has several faults;
the endpoint answers each as <error code="..."> with HTTP 200. The code is derived from the
class name (BadVerb -> badVerb), and each docstring quotes the condition the specification
attaches to the code.
"""


class OAIError(Exception):
    """A condition the protocol reports in the response body rather than by HTTP status."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    @classmethod
    def code(cls):
        return cls.__name__[0].lower() + cls.__name__[1:]

    # Whether the request element may echo the arguments: the specification forbids it when
    # the arguments themselves are at fault (section 3.2, "request").
    echoes_arguments = True


class BadArgument(OAIError):
    """The request includes illegal arguments, is missing required arguments, includes a
    repeated argument, or values for arguments have an illegal syntax."""

    echoes_arguments = False


class BadResumptionToken(OAIError):
    """The value of the resumptionToken argument is invalid or expired."""


class BadVerb(OAIError):
    """Value of the verb argument is not a legal OAI-PMH verb, the verb argument is missing,
    or the verb argument is repeated."""

    echoes_arguments = False


class CannotDisseminateFormat(OAIError):
    """The metadata format identified by the value given for the metadataPrefix argument is
    not supported by the item or by the repository."""


class IdDoesNotExist(OAIError):
    """The value of the identifier argument is unknown or illegal in this repository."""


class NoRecordsMatch(OAIError):
    """The combination of the values of the from, until, set and metadataPrefix arguments
    results in an empty list."""


class NoMetadataFormats(OAIError):
    """There are no metadata formats available for the specified item.

    Arkiv never raises it: every format in the registry can describe every item, and a
    deleted item is still offered in every format (its records are headers only).
    """


class NoSetHierarchy(OAIError):
    """The repository does not support sets.

    Arkiv never raises it: the sets of DCMI types always exist, so ListSets always has an
    answer and set arguments are always understood.
    """
