"""One error class for every refusal, carrying the status the spec names for it."""
from http import HTTPStatus


class IIIFError(Exception):
    """A request the image server will not answer with an image.

    `status`: 400 for syntax (or a size the spec forbids, such as upscaling without ^), 404 for
    an identifier that is unknown or not visible to the reader, 501 for a valid request of a
    feature this server does not have (arbitrary rotation, a format it does not make).
    `parameter` names the path parameter at fault, `text` says what is wrong (translated).
    """

    def __init__(self, status, text, parameter=""):
        super().__init__(text)
        self.status = HTTPStatus(status)
        self.text = text
        self.parameter = parameter


def bad_request(parameter, text):
    return IIIFError(HTTPStatus.BAD_REQUEST, text, parameter)


def not_implemented(parameter, text):
    return IIIFError(HTTPStatus.NOT_IMPLEMENTED, text, parameter)
