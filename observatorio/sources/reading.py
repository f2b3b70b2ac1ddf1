"""Read source documents safely: size limit, binary detection, UTF-8 decoding."""

from __future__ import annotations

from pathlib import Path

MAX_BYTES = 20 * 1024 * 1024


class SourceReadError(ValueError):
    """The file cannot be read as a text document; the message is in Spanish."""


def read_text(path: Path | str) -> str:
    """Return the text of *path*, or raise SourceReadError with a Spanish message."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise SourceReadError(f"No existe el archivo {path}.") from exc
    except OSError as exc:
        raise SourceReadError(f"No se pudo leer {path}: {exc.strerror}.") from exc
    if path.is_dir():
        raise SourceReadError(f"{path} es una carpeta, no un archivo de texto.")
    if size > MAX_BYTES:
        raise SourceReadError(
            f"{path.name} pesa {size / 1024 / 1024:.1f} MB; el máximo es "
            f"{MAX_BYTES // 1024 // 1024} MB."
        )
    data = path.read_bytes()
    if not data.strip():
        raise SourceReadError(f"{path.name} está vacío.")
    if b"\x00" in data[:65536]:
        raise SourceReadError(
            f"{path.name} parece un archivo binario (PDF, imagen, hoja de cálculo…); "
            "se espera el texto extraído del documento."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceReadError(
            f"{path.name} no está codificado en UTF-8 (byte inválido en la posición {exc.start})."
        ) from exc
    return text.replace("\r\n", "\n").replace("\r", "\n")
