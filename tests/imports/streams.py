"""Huge input without a huge disk: a file-like object that makes its bytes as they are read."""
import io


class GeneratedFile(io.RawIOBase):
    """`head`, then `body` repeated until the file is `size` bytes long."""

    def __init__(self, head, body, size):
        self.head, self.size, self.position = head, size, 0
        self.block = body * max(1, (1 << 20) // len(body))  # whole repetitions, about 1 MiB

    def readable(self):
        return True

    def readinto(self, buffer):
        wanted = min(len(buffer), self.size - self.position)
        if wanted <= 0:
            return 0
        if self.position < len(self.head):
            data = self.head[self.position:self.position + wanted]
        else:
            offset = (self.position - len(self.head)) % len(self.block)
            data = self.block[offset:offset + wanted]
        buffer[:len(data)] = data
        self.position += len(data)
        return len(data)
