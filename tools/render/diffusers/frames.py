"""Sizes and frames: width and height on a family's grid, a clip's frame count, the keyframe, the frames out.

Each pipeline family wants its width and height in multiples of its VAE's
(and transformer patch's) block, and its frame count on its temporal grid
(k * compression + 1). A result's frames come back as tensors, arrays or PIL
images depending on the family; ``video_frames`` makes them RGB uint8 arrays.
"""

from __future__ import annotations

from studio.render import RenderRequest


def size_multiple(pipe) -> int:
    """The block a family's width and height must be a multiple of."""
    m = getattr(pipe, "vae_spatial_compression_ratio", None) or getattr(pipe, "vae_scale_factor_spatial", None) \
        or getattr(pipe, "vae_scale_factor", None) or 8
    m = int(m)
    transformer = getattr(pipe, "transformer", None)
    if transformer is not None:
        patch = getattr(transformer.config, "patch_size", None) or 1
        patch = patch[-1] if isinstance(patch, (list, tuple)) else patch
        m = max(m * int(patch), 16)
    return max(8, m)


def fit_size(pipe, width: int, height: int) -> tuple[int, int]:
    """``width`` x ``height`` rounded down to the family's grid."""
    m = size_multiple(pipe)
    return max(m, width // m * m), max(m, height // m * m)


def smaller(pipe, width: int, height: int) -> tuple[int, int]:
    """Three quarters of ``width`` x ``height``, on the family's grid (a retry after running out of memory)."""
    m = size_multiple(pipe)
    return max(m, int(width * 0.75) // m * m), max(m, int(height * 0.75) // m * m)


def frame_count(pipe, request: RenderRequest) -> int:
    """The clip's ``num_frames``, on the family's grid (k * temporal compression + 1)."""
    n = request.num_frames if request.num_frames > 0 else max(1, round(request.duration_s * request.fps))
    t = getattr(pipe, "vae_scale_factor_temporal", None) or getattr(pipe, "vae_temporal_compression_ratio", None)
    if isinstance(t, int) and t > 1:
        n = max(1, round((n - 1) / t)) * t + 1
    return n


def keyframe(request: RenderRequest, width: int, height: int):
    """The request's keyframe (its picture box, when it carries a caption strip), fitted to ``width`` x ``height``."""
    from PIL import Image, ImageOps

    with Image.open(request.init_image or "") as img:
        key = img.convert("RGB")
    box = getattr(request, "init_box", None)
    if box:
        key = key.crop(tuple(box))
    return ImageOps.fit(key, (width, height), Image.Resampling.LANCZOS)


def video_frames(result) -> list:
    """The frames of a video pipeline's result as HxWx3 uint8 arrays."""
    import numpy as np

    frames = result.frames[0]
    if hasattr(frames, "detach"):  # a tensor (F, C, H, W) or (F, H, W, C)
        frames = frames.detach().float().cpu().numpy()
    if isinstance(frames, np.ndarray):
        if frames.ndim == 4 and frames.shape[1] in (1, 3) and frames.shape[-1] not in (1, 3):
            frames = frames.transpose(0, 2, 3, 1)
        frames = [np.clip(f * 255.0 + 0.5, 0, 255).astype(np.uint8) if f.dtype != np.uint8 else f for f in frames]
    else:  # PIL images
        frames = [np.asarray(f.convert("RGB")) for f in frames]
    return frames
