"""Mutants of unit 05 (dropout variants): realistic wrong versions and correct alternatives of each graded function.

Each `source` replaces the whole solution cell; it may use what the setup cell imports (math, torch, F, nn).
The correct alternatives draw their random numbers in other ways than the reference (torch.bernoulli,
Tensor.uniform_, one draw per map or per image in a loop, rand * H instead of randint): the tests check
distributions and structure only, so they must keep full marks.
"""

from autograder.mutants import Mutant

MUTANTS = [
    # --------------------------------------------------------------------------------------------- dropout
    Mutant(
        "dropout",
        "dropout_no_rescale",
        "wrong",
        """
def dropout(x, p=0.5, training=True, generator=None):
    if not 0.0 <= p <= 1.0:
        raise ValueError("p must be in [0, 1]")
    if not training:
        return x
    keep = torch.rand(x.shape, generator=generator) >= p
    return x * keep  # survivors not scaled by 1 / (1 - p)
""",
        why="forgets to scale the survivors by 1 / (1 - p)",
    ),
    Mutant(
        "dropout",
        "dropout_rescale_by_p",
        "wrong",
        """
def dropout(x, p=0.5, training=True, generator=None):
    if not 0.0 <= p <= 1.0:
        raise ValueError("p must be in [0, 1]")
    if not training or p == 0.0:
        return x
    keep = torch.rand(x.shape, generator=generator) >= p
    return x * keep / p  # divides by the drop probability instead of the keep probability
""",
        why="scales the survivors by 1 / p instead of 1 / (1 - p)",
    ),
    Mutant(
        "dropout",
        "dropout_keep_probability_p",
        "wrong",
        """
def dropout(x, p=0.5, training=True, generator=None):
    if not 0.0 <= p <= 1.0:
        raise ValueError("p must be in [0, 1]")
    if not training or p == 0.0:
        return x
    if p == 1.0:
        return torch.zeros_like(x)
    keep = torch.rand(x.shape, generator=generator) < p  # keeps with probability p: p and 1 - p swapped
    return x * keep / (1.0 - p)
""",
        why="keeps each element with probability p instead of dropping it with probability p",
    ),
    Mutant(
        "dropout",
        "dropout_nan_for_p_one",
        "wrong",
        """
def dropout(x, p=0.5, training=True, generator=None):
    if not 0.0 <= p <= 1.0:
        raise ValueError("p must be in [0, 1]")
    if not training:
        return x
    keep = torch.rand(x.shape, generator=generator) >= p
    return x * keep / (1.0 - p)  # p = 1: 0 / 0 = NaN
""",
        why="no special case for p = 1, where 0 * x / (1 - p) is NaN",
    ),
    Mutant(
        "dropout",
        "dropout_bernoulli",
        "correct",
        """
def dropout(x, p=0.5, training=True, generator=None):
    if p < 0 or p > 1:
        raise ValueError(f"p must be in [0, 1], got {p}")
    if not training or p == 0:
        return x
    if p == 1:
        return x * 0.0
    keep = torch.bernoulli(torch.full(x.shape, 1.0 - p, dtype=x.dtype), generator=generator)
    return x * keep * (1.0 / (1.0 - p))
""",
        why="draws the keep mask with torch.bernoulli(1 - p)",
    ),
    Mutant(
        "dropout",
        "dropout_uniform_where",
        "correct",
        """
def dropout(x, p=0.5, training=True, generator=None):
    if not (0.0 <= p <= 1.0):
        raise ValueError("p must be in [0, 1]")
    if not training:
        return x.clone()
    u = torch.empty(x.numel(), dtype=torch.float64).uniform_(generator=generator).view(x.shape)
    dropped = u > 1.0 - p  # also True with probability p; p = 1 drops everything
    scale = 0.0 if p == 1.0 else 1.0 / (1.0 - p)
    return torch.where(dropped, torch.zeros_like(x), x * scale)
""",
        why="Tensor.uniform_ in float64, compared from the other end, torch.where instead of a product",
    ),
    # ------------------------------------------------------------------------------------------- dropout2d
    Mutant(
        "dropout2d",
        "dropout2d_drops_pixels",
        "wrong",
        """
def dropout2d(x, p=0.5, training=True, generator=None):
    if not 0.0 <= p <= 1.0:
        raise ValueError("p must be in [0, 1]")
    if not training or p == 0.0:
        return x
    if p == 1.0:
        return torch.zeros_like(x)
    keep = torch.rand(x.shape, generator=generator) >= p  # one draw per pixel, not per map
    return x * keep / (1.0 - p)
""",
        why="drops single activations (standard dropout) instead of whole feature maps",
    ),
    Mutant(
        "dropout2d",
        "dropout2d_same_mask_for_batch",
        "wrong",
        """
def dropout2d(x, p=0.5, training=True, generator=None):
    if not 0.0 <= p <= 1.0:
        raise ValueError("p must be in [0, 1]")
    if not training or p == 0.0:
        return x
    if p == 1.0:
        return torch.zeros_like(x)
    keep = torch.rand(1, x.shape[1], 1, 1, generator=generator) >= p  # one mask shared by every image
    return x * keep / (1.0 - p)
""",
        why="draws one channel mask and uses it for every image of the batch",
    ),
    Mutant(
        "dropout2d",
        "dropout2d_no_rescale",
        "wrong",
        """
def dropout2d(x, p=0.5, training=True, generator=None):
    if not 0.0 <= p <= 1.0:
        raise ValueError("p must be in [0, 1]")
    if not training:
        return x
    keep = torch.rand(x.shape[0], x.shape[1], 1, 1, generator=generator) >= p
    return x * keep  # kept maps not scaled
""",
        why="forgets to scale the kept maps by 1 / (1 - p)",
    ),
    Mutant(
        "dropout2d",
        "dropout2d_keep_probability_p",
        "wrong",
        """
def dropout2d(x, p=0.5, training=True, generator=None):
    if not 0.0 <= p <= 1.0:
        raise ValueError("p must be in [0, 1]")
    if not training or p == 0.0:
        return x
    if p == 1.0:
        return torch.zeros_like(x)
    keep = torch.bernoulli(torch.full((x.shape[0], x.shape[1], 1, 1), p), generator=generator)  # keeps with p
    return x * keep / (1.0 - p)
""",
        why="keeps each map with probability p instead of dropping it with probability p",
    ),
    Mutant(
        "dropout2d",
        "dropout2d_loop_per_map",
        "correct",
        """
def dropout2d(x, p=0.5, training=True, generator=None):
    if p < 0.0 or p > 1.0:
        raise ValueError("p must be in [0, 1]")
    if x.dim() != 4:
        raise ValueError("x must be (N, C, H, W)")
    if not training or p == 0.0:
        return x
    out = x.clone()
    for n in range(x.shape[0]):
        for c in range(x.shape[1]):
            if torch.rand(1, generator=generator).item() < p:  # one draw per map, in a loop
                out[n, c] = 0.0
            else:
                out[n, c] = x[n, c] / (1.0 - p)
    return out
""",
        why="loops over the maps with one torch.rand(1) each",
    ),
    Mutant(
        "dropout2d",
        "dropout2d_bernoulli_expand",
        "correct",
        """
def dropout2d(x, p=0.5, training=True, generator=None):
    if not 0 <= p <= 1:
        raise ValueError("p must be in [0, 1]")
    if not training or p == 0:
        return x
    n, c, h, w = x.shape
    keep = torch.bernoulli(torch.full((n, c), 1.0 - p, dtype=x.dtype), generator=generator)
    scale = 0.0 if p == 1 else 1.0 / (1.0 - p)
    return x * (keep * scale).view(n, c, 1, 1).expand(n, c, h, w)
""",
        why="torch.bernoulli on an (N, C) keep matrix, expanded over H and W",
    ),
    # ---------------------------------------------------------------------------------------------- cutout
    Mutant(
        "cutout",
        "cutout_centre_inside",
        "wrong",
        """
def cutout(x, size, generator=None):
    n, _, h, w = x.shape
    out = x.clone()
    half = size // 2
    for i in range(n):  # centre restricted so that the whole square fits inside the image
        cy = int(torch.randint(half, h - size + half + 1, (1,), generator=generator))
        cx = int(torch.randint(half, w - size + half + 1, (1,), generator=generator))
        out[i, :, cy - half : cy - half + size, cx - half : cx - half + size] = 0.0
    return out
""",
        why="keeps the square inside the image, so it is never clipped and the border is rarely covered",
    ),
    Mutant(
        "cutout",
        "cutout_per_channel",
        "wrong",
        """
def cutout(x, size, generator=None):
    n, c, h, w = x.shape
    out = x.clone()
    half = size // 2
    for i in range(n):
        for j in range(c):  # a new square for every channel
            cy = int(torch.randint(h, (1,), generator=generator))
            cx = int(torch.randint(w, (1,), generator=generator))
            out[i, j, max(cy - half, 0) : max(cy - half + size, 0), max(cx - half, 0) : max(cx - half + size, 0)] = 0.0
    return out
""",
        why="draws a separate square for each channel",
    ),
    Mutant(
        "cutout",
        "cutout_same_square_for_batch",
        "wrong",
        """
def cutout(x, size, generator=None):
    _, _, h, w = x.shape
    cy = int(torch.randint(h, (1,), generator=generator))  # one centre for the whole batch
    cx = int(torch.randint(w, (1,), generator=generator))
    top, left = max(cy - size // 2, 0), max(cx - size // 2, 0)
    out = x.clone()
    out[:, :, top : cy - size // 2 + size, left : cx - size // 2 + size] = 0.0
    return out
""",
        why="draws one square for the whole batch instead of one per image",
    ),
    Mutant(
        "cutout",
        "cutout_symmetric_half",
        "wrong",
        """
def cutout(x, size, generator=None):
    n, _, h, w = x.shape
    out = x.clone()
    half = size // 2
    for i in range(n):
        cy = int(torch.randint(h, (1,), generator=generator))
        cx = int(torch.randint(w, (1,), generator=generator))
        # centre - half to centre + half: size + 1 pixels for even sizes
        out[i, :, max(cy - half, 0) : cy + half + 1, max(cx - half, 0) : cx + half + 1] = 0.0
    return out
""",
        why="covers centre - size // 2 to centre + size // 2, one pixel too many for even sizes",
    ),
    Mutant(
        "cutout",
        "cutout_loop_randint",
        "correct",
        """
def cutout(x, size, generator=None):
    n, _, h, w = x.shape
    out = x.clone()
    for i in range(n):  # one centre per image, drawn in a loop
        cy = int(torch.randint(0, h, (1,), generator=generator))
        cx = int(torch.randint(0, w, (1,), generator=generator))
        top, left = cy - size // 2, cx - size // 2
        out[i, :, max(top, 0) : max(top + size, 0), max(left, 0) : max(left + size, 0)] = 0
    return out
""",
        why="a loop over the images, slicing with clipped bounds",
    ),
    Mutant(
        "cutout",
        "cutout_rand_floor",
        "correct",
        """
def cutout(x, size, generator=None):
    n, _, h, w = x.shape
    u = torch.rand(n, 2, generator=generator, dtype=torch.float64)
    cy = (u[:, 0] * h).long().clamp(max=h - 1)  # uniform over 0..h-1
    cx = (u[:, 1] * w).long().clamp(max=w - 1)
    r = torch.arange(h).view(1, h, 1) - (cy - size // 2).view(n, 1, 1)  # offset inside the square
    c = torch.arange(w).view(1, 1, w) - (cx - size // 2).view(n, 1, 1)
    inside = (r >= 0) & (r < size) & (c >= 0) & (c < size)  # (N, H, W)
    return torch.where(inside.unsqueeze(1), torch.zeros_like(x), x)
""",
        why="centres from floor(rand * H) in one draw for the batch, the square from offsets",
    ),
    # ------------------------------------------------------------------------------------ max_pool_dropout
    Mutant(
        "max_pool_dropout",
        "max_pool_dropout_rescaled",
        "wrong",
        """
def max_pool_dropout(x, kernel_size, p=0.5, training=True, generator=None):
    kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    if training:
        keep = torch.rand(x.shape, generator=generator) >= p
        return F.max_pool2d(x * keep / (1.0 - p) if p < 1 else x * 0, (kh, kw))  # rescaled like dropout
    n, c, h, w = x.shape
    win = F.unfold(x, (kh, kw), stride=(kh, kw)).view(n, c, kh * kw, -1).sort(dim=2).values
    k = kh * kw
    weights = torch.tensor([(1 - p) * p ** (k - 1 - i) for i in range(k)], dtype=x.dtype)
    return (win * weights[:, None]).sum(dim=2).view(n, c, h // kh, w // kw)
""",
        why="scales the kept inputs by 1 / (1 - p) as in standard dropout",
    ),
    Mutant(
        "max_pool_dropout",
        "max_pool_dropout_test_plain_max",
        "wrong",
        """
def max_pool_dropout(x, kernel_size, p=0.5, training=True, generator=None):
    if training:
        keep = torch.rand(x.shape, generator=generator) >= p
        return F.max_pool2d(x * keep, kernel_size)
    return F.max_pool2d(x, kernel_size)  # test time: plain max pooling
""",
        why="uses plain max pooling at test time",
    ),
    Mutant(
        "max_pool_dropout",
        "max_pool_dropout_order_reversed",
        "wrong",
        """
def max_pool_dropout(x, kernel_size, p=0.5, training=True, generator=None):
    kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    if training:
        keep = torch.rand(x.shape, generator=generator) >= p
        return F.max_pool2d(x * keep, (kh, kw))
    n, c, h, w = x.shape
    win = F.unfold(x, (kh, kw), stride=(kh, kw)).view(n, c, kh * kw, -1).sort(dim=2).values  # ascending
    k = kh * kw
    weights = torch.tensor([(1 - p) * p**i for i in range(k)], dtype=x.dtype)  # the largest weight on a_1
    return (win * weights[:, None]).sum(dim=2).view(n, c, h // kh, w // kw)
""",
        why="gives the weight (1 - p) to the smallest value: the sorted order reversed",
    ),
    Mutant(
        "max_pool_dropout",
        "max_pool_dropout_keep_probability_p",
        "wrong",
        """
def max_pool_dropout(x, kernel_size, p=0.5, training=True, generator=None):
    kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    if training:
        keep = torch.rand(x.shape, generator=generator) < p  # keeps with probability p
        return F.max_pool2d(x * keep, (kh, kw))
    n, c, h, w = x.shape
    win = F.unfold(x, (kh, kw), stride=(kh, kw)).view(n, c, kh * kw, -1).sort(dim=2).values
    k = kh * kw
    weights = torch.tensor([(1 - p) * p ** (k - 1 - i) for i in range(k)], dtype=x.dtype)
    return (win * weights[:, None]).sum(dim=2).view(n, c, h // kh, w // kw)
""",
        why="keeps each input with probability p in training (p and 1 - p swapped)",
    ),
    Mutant(
        "max_pool_dropout",
        "max_pool_dropout_descending_cumprod",
        "correct",
        """
def max_pool_dropout(x, kernel_size, p=0.5, training=True, generator=None):
    if not 0 <= p <= 1:
        raise ValueError("p must be in [0, 1]")
    kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    n, c, h, w = x.shape
    win = F.unfold(x, (kh, kw), stride=(kh, kw)).view(n, c, kh * kw, -1)  # (N, C, k, L)
    if training:
        kept = torch.bernoulli(torch.full(win.shape, 1.0 - p, dtype=x.dtype), generator=generator)
        return (win * kept).amax(dim=2).view(n, c, h // kh, w // kw)
    desc = win.sort(dim=2, descending=True).values  # largest first: weights (1 - p), (1 - p) p, ...
    weights = (1.0 - p) * torch.cumprod(torch.full((kh * kw,), p, dtype=x.dtype), 0) / p if p > 0 else None
    if weights is None:
        return desc[:, :, 0].view(n, c, h // kh, w // kw)
    return (desc * weights[:, None]).sum(dim=2).view(n, c, h // kh, w // kw)
""",
        why="unfolds the windows, bernoulli keep mask on them, descending sort with cumprod weights",
    ),
    Mutant(
        "max_pool_dropout",
        "max_pool_dropout_window_loop",
        "correct",
        """
def max_pool_dropout(x, kernel_size, p=0.5, training=True, generator=None):
    kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    n, c, h, w = x.shape
    ho, wo = h // kh, w // kw
    out = x.new_zeros(n, c, ho, wo)
    if training:
        drop = torch.rand(n, c, ho * kh, wo * kw, generator=generator) < p  # only the windows' inputs
        dropped = x[:, :, : ho * kh, : wo * kw].masked_fill(drop, 0.0)
        for i in range(ho):
            for j in range(wo):
                out[:, :, i, j] = dropped[:, :, i * kh : (i + 1) * kh, j * kw : (j + 1) * kw].amax(dim=(2, 3))
        return out
    k = kh * kw
    for i in range(ho):
        for j in range(wo):
            a = x[:, :, i * kh : (i + 1) * kh, j * kw : (j + 1) * kw].reshape(n, c, k).sort(dim=2).values
            total = torch.zeros(n, c, dtype=x.dtype)
            for r in range(k):  # r-th smallest, r = 0..k-1: probability (1 - p) p^(k - 1 - r)
                total = total + (1 - p) * p ** (k - 1 - r) * a[:, :, r]
            out[:, :, i, j] = total
    return out
""",
        why="loops over the output positions; draws the mask only for the inputs the windows use",
    ),
    # ------------------------------------------------------------------------------------------ drop_block
    Mutant(
        "drop_block",
        "drop_block_no_rescale",
        "wrong",
        """
def drop_block(x, p, block_size, training=True, generator=None):
    if not 0.0 <= p <= 1.0:
        raise ValueError("p must be in [0, 1]")
    if not training or p == 0.0:
        return x
    n, c, h, w = x.shape
    bs = block_size
    gamma = p * h * w / (bs**2 * (h - bs + 1) * (w - bs + 1))
    seeds = (torch.rand(n * c, 1, h - bs + 1, w - bs + 1, generator=generator) < gamma).to(x.dtype)
    dropped = F.conv_transpose2d(seeds, x.new_ones(1, 1, bs, bs)) > 0
    return x * (~dropped).reshape(n, c, h, w)  # no numel / sum rescaling
""",
        why="forgets the numel(mask) / sum(mask) rescaling",
    ),
    Mutant(
        "drop_block",
        "drop_block_gamma_uncorrected",
        "wrong",
        """
def drop_block(x, p, block_size, training=True, generator=None):
    if not 0.0 <= p <= 1.0:
        raise ValueError("p must be in [0, 1]")
    if not training or p == 0.0:
        return x
    n, c, h, w = x.shape
    bs = block_size
    gamma = p / bs**2  # without the H W / ((H - bs + 1) (W - bs + 1)) correction
    seeds = (torch.rand(n * c, 1, h - bs + 1, w - bs + 1, generator=generator) < gamma).to(x.dtype)
    keep = (~(F.conv_transpose2d(seeds, x.new_ones(1, 1, bs, bs)) > 0)).reshape(n, c, h, w)
    kept = int(keep.sum())
    return torch.zeros_like(x) if kept == 0 else x * keep * (keep.numel() / kept)
""",
        why="uses gamma = p / bs^2, forgetting that seeds live on the smaller (H - bs + 1) x (W - bs + 1) grid",
    ),
    Mutant(
        "drop_block",
        "drop_block_centred_on_seed",
        "wrong",
        """
def drop_block(x, p, block_size, training=True, generator=None):
    if not 0.0 <= p <= 1.0:
        raise ValueError("p must be in [0, 1]")
    if not training or p == 0.0:
        return x
    n, c, h, w = x.shape
    bs = block_size
    gamma = p * h * w / (bs**2 * (h - bs + 1) * (w - bs + 1))
    seeds = (torch.rand(n, c, h - bs + 1, w - bs + 1, generator=generator) < gamma).to(x.dtype)
    seeds = F.pad(seeds, (0, bs - 1, 0, bs - 1))  # seed grid in the top-left corner of the map
    dropped = F.max_pool2d(seeds, bs, stride=1, padding=bs // 2)  # block centred on the seed, clipped
    keep = 1.0 - dropped
    kept = keep.sum()
    return torch.zeros_like(x) if kept == 0 else x * keep * (keep.numel() / kept)
""",
        why="centres each block on its seed index of the small grid: blocks clipped at the top and left, "
        "the bottom and right rows never dropped",
    ),
    Mutant(
        "drop_block",
        "drop_block_rescale_per_map",
        "wrong",
        """
def drop_block(x, p, block_size, training=True, generator=None):
    if not 0.0 <= p <= 1.0:
        raise ValueError("p must be in [0, 1]")
    if not training or p == 0.0:
        return x
    n, c, h, w = x.shape
    bs = block_size
    gamma = p * h * w / (bs**2 * (h - bs + 1) * (w - bs + 1))
    seeds = (torch.rand(n * c, 1, h - bs + 1, w - bs + 1, generator=generator) < gamma).to(x.dtype)
    keep = (~(F.conv_transpose2d(seeds, x.new_ones(1, 1, bs, bs)) > 0)).reshape(n, c, h, w).to(x.dtype)
    per_map = keep.sum(dim=(2, 3), keepdim=True)  # each map rescaled on its own
    return x * keep * (h * w / per_map.clamp(min=1))
""",
        why="rescales each map by its own kept fraction instead of one factor for the whole tensor",
    ),
    Mutant(
        "drop_block",
        "drop_block_torchvision_style",
        "correct",
        """
def drop_block(x, p, block_size, training=True, generator=None, eps=1e-6):
    if p < 0.0 or p > 1.0:
        raise ValueError(f"drop probability has to be between 0 and 1, but got {p}")
    if not training or p == 0.0:
        return x
    n, c, h, w = x.size()
    bs = block_size
    gamma = (p * h * w) / ((bs**2) * ((h - bs + 1) * (w - bs + 1)))
    noise = torch.empty((n, c, h - bs + 1, w - bs + 1), dtype=x.dtype)
    noise.bernoulli_(gamma, generator=generator)
    noise = F.pad(noise, [bs // 2] * 4, value=0)  # the seed becomes the centre of its block
    noise = F.max_pool2d(noise, stride=(1, 1), kernel_size=(bs, bs), padding=bs // 2)
    noise = 1 - noise
    return x * noise * (noise.numel() / (eps + noise.sum()))
""",
        why="torchvision's own recipe: bernoulli_ seeds, pad by bs // 2, max-pool, eps in the rescaling",
    ),
    Mutant(
        "drop_block",
        "drop_block_seed_loop",
        "correct",
        """
def drop_block(x, p, block_size, training=True, generator=None):
    if not 0 <= p <= 1:
        raise ValueError("p must be in [0, 1]")
    if not training or p == 0:
        return x
    n, c, h, w = x.shape
    bs = block_size
    gamma = p * h * w / (bs * bs * (h - bs + 1) * (w - bs + 1))
    keep = torch.ones_like(x)
    for m in range(n):
        for ch in range(c):  # one uniform grid per map
            u = torch.empty(h - bs + 1, w - bs + 1, dtype=torch.float64).uniform_(generator=generator)
            for i, j in (u < gamma).nonzero().tolist():
                keep[m, ch, i : i + bs, j : j + bs] = 0
    total = keep.sum()
    return x * 0 if total == 0 else x * keep * (keep.numel() / total)
""",
        why="a uniform grid per map and a loop over the seeds, slicing each block",
    ),
    # ---------------------------------------------------------------------------------------------- layers
    Mutant(
        "layers",
        "layers_ignore_eval",
        "wrong",
        """
class Dropout(nn.Module):
    def __init__(self, p=0.5, generator=None):
        super().__init__()
        self.p, self.generator = p, generator

    def forward(self, x):
        return dropout(x, self.p, training=True, generator=self.generator)  # self.training ignored


class Dropout2d(nn.Module):
    def __init__(self, p=0.5, generator=None):
        super().__init__()
        self.p, self.generator = p, generator

    def forward(self, x):
        return dropout2d(x, self.p, training=True, generator=self.generator)


class Cutout(nn.Module):
    def __init__(self, size, generator=None):
        super().__init__()
        self.size, self.generator = size, generator

    def forward(self, x):
        return cutout(x, self.size, generator=self.generator) if self.training else x


class MaxPoolDropout(nn.Module):
    def __init__(self, kernel_size, p=0.5, generator=None):
        super().__init__()
        self.kernel_size, self.p, self.generator = kernel_size, p, generator

    def forward(self, x):
        return max_pool_dropout(x, self.kernel_size, self.p, training=self.training, generator=self.generator)


class DropBlock(nn.Module):
    def __init__(self, p, block_size, generator=None):
        super().__init__()
        self.p, self.block_size, self.generator = p, block_size, generator

    def forward(self, x):
        return drop_block(x, self.p, self.block_size, training=True, generator=self.generator)
""",
        why="Dropout, Dropout2d and DropBlock always pass training=True, so model.eval() does not turn them off",
    ),
    Mutant(
        "layers",
        "layers_cutout_in_eval",
        "wrong",
        """
class Dropout(nn.Module):
    def __init__(self, p=0.5, generator=None):
        super().__init__()
        self.p, self.generator = p, generator

    def forward(self, x):
        return dropout(x, self.p, training=self.training, generator=self.generator)


class Dropout2d(nn.Module):
    def __init__(self, p=0.5, generator=None):
        super().__init__()
        self.p, self.generator = p, generator

    def forward(self, x):
        return dropout2d(x, self.p, training=self.training, generator=self.generator)


class Cutout(nn.Module):
    def __init__(self, size, generator=None):
        super().__init__()
        self.size, self.generator = size, generator

    def forward(self, x):
        return cutout(x, self.size, generator=self.generator)  # also in evaluation mode


class MaxPoolDropout(nn.Module):
    def __init__(self, kernel_size, p=0.5, generator=None):
        super().__init__()
        self.kernel_size, self.p, self.generator = kernel_size, p, generator

    def forward(self, x):
        return max_pool_dropout(x, self.kernel_size, self.p, training=self.training, generator=self.generator)


class DropBlock(nn.Module):
    def __init__(self, p, block_size, generator=None):
        super().__init__()
        self.p, self.block_size, self.generator = p, block_size, generator

    def forward(self, x):
        return drop_block(x, self.p, self.block_size, training=self.training, generator=self.generator)
""",
        why="Cutout still cuts squares out of the test images after model.eval()",
    ),
    Mutant(
        "layers",
        "layers_eval_plain_max_pool",
        "wrong",
        """
class Dropout(nn.Module):
    def __init__(self, p=0.5, generator=None):
        super().__init__()
        self.p, self.generator = p, generator

    def forward(self, x):
        return dropout(x, self.p, training=self.training, generator=self.generator)


class Dropout2d(nn.Module):
    def __init__(self, p=0.5, generator=None):
        super().__init__()
        self.p, self.generator = p, generator

    def forward(self, x):
        return dropout2d(x, self.p, training=self.training, generator=self.generator)


class Cutout(nn.Module):
    def __init__(self, size, generator=None):
        super().__init__()
        self.size, self.generator = size, generator

    def forward(self, x):
        return cutout(x, self.size, generator=self.generator) if self.training else x


class MaxPoolDropout(nn.Module):
    def __init__(self, kernel_size, p=0.5, generator=None):
        super().__init__()
        self.kernel_size, self.p, self.generator = kernel_size, p, generator

    def forward(self, x):
        if self.training:
            return max_pool_dropout(x, self.kernel_size, self.p, training=True, generator=self.generator)
        return F.max_pool2d(x, self.kernel_size)  # evaluation: plain max pooling


class DropBlock(nn.Module):
    def __init__(self, p, block_size, generator=None):
        super().__init__()
        self.p, self.block_size, self.generator = p, block_size, generator

    def forward(self, x):
        return drop_block(x, self.p, self.block_size, training=self.training, generator=self.generator)
""",
        why="MaxPoolDropout falls back to plain max pooling in evaluation mode",
    ),
    Mutant(
        "layers",
        "layers_generator_not_passed",
        "wrong",
        """
class Dropout(nn.Module):
    def __init__(self, p=0.5, generator=None):
        super().__init__()
        self.p, self.generator = p, generator

    def forward(self, x):
        return dropout(x, self.p, training=self.training)  # the stored generator is never used


class Dropout2d(nn.Module):
    def __init__(self, p=0.5, generator=None):
        super().__init__()
        self.p, self.generator = p, generator

    def forward(self, x):
        return dropout2d(x, self.p, training=self.training)


class Cutout(nn.Module):
    def __init__(self, size, generator=None):
        super().__init__()
        self.size, self.generator = size, generator

    def forward(self, x):
        return cutout(x, self.size) if self.training else x


class MaxPoolDropout(nn.Module):
    def __init__(self, kernel_size, p=0.5, generator=None):
        super().__init__()
        self.kernel_size, self.p, self.generator = kernel_size, p, generator

    def forward(self, x):
        return max_pool_dropout(x, self.kernel_size, self.p, training=self.training)


class DropBlock(nn.Module):
    def __init__(self, p, block_size, generator=None):
        super().__init__()
        self.p, self.block_size, self.generator = p, block_size, generator

    def forward(self, x):
        return drop_block(x, self.p, self.block_size, training=self.training)
""",
        why="stores the generator but never passes it on, so the layers are not reproducible",
    ),
    Mutant(
        "layers",
        "layers_shared_base_class",
        "correct",
        """
class _Random(nn.Module):
    \"\"\"Shared plumbing: keep the generator, call `op` in training mode, `eval_op` otherwise.\"\"\"

    def __init__(self, generator=None):
        super().__init__()
        self.generator = generator

    def eval_op(self, x):
        return x

    def forward(self, x):
        return self.op(x) if self.training else self.eval_op(x)


class Dropout(_Random):
    def __init__(self, p=0.5, generator=None):
        super().__init__(generator)
        self.p = p

    def op(self, x):
        return dropout(x, p=self.p, training=True, generator=self.generator)


class Dropout2d(_Random):
    def __init__(self, p=0.5, generator=None):
        super().__init__(generator)
        self.p = p

    def op(self, x):
        return dropout2d(x, p=self.p, training=True, generator=self.generator)


class Cutout(_Random):
    def __init__(self, size, generator=None):
        super().__init__(generator)
        self.size = size

    def op(self, x):
        return cutout(x, self.size, generator=self.generator)


class MaxPoolDropout(_Random):
    def __init__(self, kernel_size, p=0.5, generator=None):
        super().__init__(generator)
        self.kernel_size, self.p = kernel_size, p

    def op(self, x):
        return max_pool_dropout(x, self.kernel_size, p=self.p, training=True, generator=self.generator)

    def eval_op(self, x):
        return max_pool_dropout(x, self.kernel_size, p=self.p, training=False)


class DropBlock(_Random):
    def __init__(self, p, block_size, generator=None):
        super().__init__(generator)
        self.p, self.block_size = p, block_size

    def op(self, x):
        return drop_block(x, p=self.p, block_size=self.block_size, training=True, generator=self.generator)
""",
        why="one base class that dispatches on self.training; keyword arguments throughout",
    ),
]

# The demo's buggy student: one mistake in each of four functions, so it lands between 0 and full marks.
BUGGY = [
    "dropout_no_rescale",
    "dropout2d_drops_pixels",
    "cutout_centre_inside",
    "drop_block_gamma_uncorrected",
]
