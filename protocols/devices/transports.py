"""Printer transports: raw TCP 9100 and pyserial URLs, every read and write bounded by a timeout.

Raw 9100 has no job acknowledgement, so a send ends in one of three ways that the queue must tell apart:
delivered, NotDelivered (no byte left us: safe to resend or reroute) or DeliveryUncertain (bytes left us,
then something failed: the label may have printed, so a resend needs an operator's word).
"""
import socket
import time
from urllib.parse import urlparse

import serial

from .zpl_stream import ETX


class PrinterIOError(OSError):
    """Base class for transport failures; str(err) says what happened."""


class NotDelivered(PrinterIOError):
    """Raise when nothing reached the printer (refused, unreachable, connect timeout)."""


class DeliveryUncertain(PrinterIOError):
    """Raise when a failure came after bytes were sent: the label may have printed."""


class StatusTimeout(PrinterIOError):
    """Raise when the printer sent no complete status; Zebras stay silent on paper-out or head-open."""


class TcpPrinterTransport:
    """Talk to a printer's raw port (usually 9100): one connection per job or status query."""

    def __init__(self, host: str, port: int = 9100, connect_timeout: float = 3.0, io_timeout: float = 5.0):
        self.host, self.port = host, port
        self.connect_timeout, self.io_timeout = connect_timeout, io_timeout

    def _connect(self) -> socket.socket:
        try:
            sock = socket.create_connection((self.host, self.port), timeout=self.connect_timeout)
        except OSError as err:
            raise NotDelivered(f"cannot connect to {self.host}:{self.port} ({err})") from None
        sock.settimeout(self.io_timeout)
        return sock

    def send(self, data: bytes) -> None:
        """Send a job, half-close, and wait for the printer to close: then it has taken every byte."""
        sock = self._connect()
        try:
            sock.sendall(data)
            sock.shutdown(socket.SHUT_WR)
            while sock.recv(4096):  # drain any unsolicited bytes until the printer closes its side
                pass
        except OSError as err:
            raise DeliveryUncertain(f"{self.host}:{self.port} failed after the job was sent ({err})") from None
        finally:
            sock.close()

    def query(self, command: bytes, frames: int) -> bytes:
        """Send a status command and return the reply once it holds `frames` ETX bytes."""
        sock = self._connect()
        try:
            sock.sendall(command)
            reply, deadline = b"", time.monotonic() + self.io_timeout
            while reply.count(ETX) < frames:
                sock.settimeout(max(0.01, deadline - time.monotonic()))
                chunk = sock.recv(1024)
                if not chunk:
                    break
                reply += chunk
        except socket.timeout:
            raise StatusTimeout(f"{self.host}:{self.port} gave no status within {self.io_timeout}s") from None
        except OSError as err:
            raise StatusTimeout(f"{self.host}:{self.port} status query failed ({err})") from None
        finally:
            sock.close()
        if reply.count(ETX) < frames:
            raise StatusTimeout(f"{self.host}:{self.port} closed after a partial status reply")
        return reply


class SerialPrinterTransport:
    """Talk to a printer through a pyserial URL (/dev/ttyUSB0, loop://, rfc2217://...)."""

    def __init__(self, url: str, baudrate: int = 9600, io_timeout: float = 5.0):
        self.url, self.baudrate, self.io_timeout = url, baudrate, io_timeout

    def _open(self) -> serial.SerialBase:
        try:
            return serial.serial_for_url(self.url, baudrate=self.baudrate, timeout=self.io_timeout,
                                         write_timeout=self.io_timeout)
        except (serial.SerialException, ValueError) as err:
            raise NotDelivered(f"cannot open {self.url} ({err})") from None

    def send(self, data: bytes) -> None:
        """Write a job and wait until the driver has pushed it out."""
        port = self._open()
        try:
            port.write(data)
            port.flush()
        except serial.SerialException as err:
            raise DeliveryUncertain(f"{self.url} failed while sending ({err})") from None
        finally:
            port.close()

    def query(self, command: bytes, frames: int) -> bytes:
        """Send a status command and read until `frames` ETX bytes or the timeout."""
        port = self._open()
        try:
            port.write(command)
            reply, deadline = b"", time.monotonic() + self.io_timeout
            while reply.count(ETX) < frames and time.monotonic() < deadline:
                reply += port.read(port.in_waiting or 1)
        except serial.SerialException as err:
            raise StatusTimeout(f"{self.url} status query failed ({err})") from None
        finally:
            port.close()
        if reply.count(ETX) < frames:
            raise StatusTimeout(f"{self.url} gave no complete status within {self.io_timeout}s")
        return reply


def transport_for_url(url: str, connect_timeout: float = 3.0, io_timeout: float = 5.0):
    """Return the transport for 'tcp://host:9100' or any pyserial URL / device path."""
    if url.startswith("tcp://"):
        parsed = urlparse(url)
        return TcpPrinterTransport(parsed.hostname or "", parsed.port or 9100, connect_timeout, io_timeout)
    return SerialPrinterTransport(url, io_timeout=io_timeout)
