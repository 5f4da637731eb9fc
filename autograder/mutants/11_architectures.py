"""Mutants of unit 11 (architectures side by side): realistic wrong versions and correct alternatives.

Each `source` replaces the whole solution cell; it may use what the setup cell defines (contextlib, copy, math, time,
dataclass, torch, F, nn, benchmark, FlopCounterMode), ModelProfile, and the functions of the cells above it
(`profile` calls `measure_throughput`). Most wrong versions are one edit of the reference, written with `_edit` so
that the edit is visible here and fails loudly if the reference changes. Every wrong version must lose points on a
CPU-only machine: mistakes that only a GPU could reveal (no bfloat16 autocast on CUDA, no cuDNN autotuner) are left
to the GPU speed test and are not listed.
"""

from autograder.mutants import Mutant


def _edit(source: str, old: str, new: str, count: int = 1) -> str:
    """`source` with `old` replaced by `new`; `old` must occur exactly `count` times."""
    found = source.count(old)
    if found != count:
        raise ValueError(f"mutant edit: {old!r} occurs {found} times, expected {count}")
    return source.replace(old, new)


MEASURE = """
def measure_throughput(model, batch, device, dtype=torch.float32, channels_last=False):
    device = torch.device(device)
    model = model.to(device).eval()
    batch = batch.to(device)
    if channels_last:
        model = model.to(memory_format=torch.channels_last)
        batch = batch.contiguous(memory_format=torch.channels_last)

    def forward():
        precision = torch.autocast(device.type, dtype=dtype) if dtype != torch.float32 else contextlib.nullcontext()
        with torch.inference_mode(), precision:
            model(batch)

    for _ in range(3):
        forward()
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    timer = benchmark.Timer(stmt="forward()", globals={"forward": forward}, num_threads=torch.get_num_threads())
    seconds = timer.blocked_autorange(min_run_time=0.1).median
    return batch.shape[0] / seconds
"""

PROFILE = """
def profile(model, input_size, batch_size=1, device=None):
    first = next(model.parameters(), None)
    if device is None:
        device = first.device if first is not None else torch.device("cpu")
    dtype = first.dtype if first is not None else torch.float32
    was_training = model.training
    model = model.to(device).eval()
    params = sum(p.numel() for p in model.parameters())

    activation_bytes = 0

    def count(module, inputs, output):
        nonlocal activation_bytes
        outputs = output if isinstance(output, tuple | list) else (output,)
        activation_bytes += sum(t.numel() * t.element_size() for t in outputs if isinstance(t, torch.Tensor))

    leaves = [m for m in model.modules() if next(m.children(), None) is None]
    handles = [m.register_forward_hook(count) for m in leaves]
    image = torch.zeros(1, *input_size, device=device, dtype=dtype)
    try:
        with torch.inference_mode(), FlopCounterMode(display=False) as counter:
            model(image)
    finally:
        for handle in handles:
            handle.remove()
    try:
        latency_ms = 1000 / measure_throughput(model, image, device)
        throughput = measure_throughput(model, torch.zeros(batch_size, *input_size, device=device, dtype=dtype), device)
    finally:
        model.train(was_training)
    return ModelProfile(params, counter.get_total_flops(), activation_bytes, latency_ms, throughput)
"""

FAST = """
def fast_inference(model):
    model.eval()
    model.to(memory_format=torch.channels_last)
    first = next(model.parameters(), None)
    on_cuda = first is not None and first.is_cuda

    def predict(x):
        x = x.contiguous(memory_format=torch.channels_last)
        with torch.inference_mode():
            if not on_cuda:
                return model(x)
            with (torch.backends.cudnn.flags(enabled=True, benchmark=True, deterministic=False, allow_tf32=False),
                  torch.autocast("cuda", dtype=torch.bfloat16)):
                return model(x).float()

    return predict
"""

MUTANTS = [
    # ------------------------------------------------------------------------------------------ measure_throughput
    Mutant(
        "measure_throughput",
        "measure_batches_per_second",
        "wrong",
        _edit(MEASURE, "return batch.shape[0] / seconds", "return 1 / seconds"),
        why="returns forward passes (batches) per second instead of images per second",
    ),
    Mutant(
        "measure_throughput",
        "measure_returns_seconds",
        "wrong",
        _edit(MEASURE, "return batch.shape[0] / seconds", "return seconds"),
        why="returns the median seconds per forward pass, not a throughput",
    ),
    Mutant(
        "measure_throughput",
        "measure_total_time",
        "wrong",
        _edit(MEASURE, "seconds = timer.blocked_autorange(min_run_time=0.1).median",
              "seconds = sum(timer.blocked_autorange(min_run_time=0.1).raw_times)"),
        why="divides by the total time of all the measured blocks instead of the median time of one call",
    ),
    Mutant(
        "measure_throughput",
        "measure_no_eval",
        "wrong",
        _edit(MEASURE, "model = model.to(device).eval()", "model = model.to(device)"),
        why="times the model in training mode (dropout on, batch statistics)",
    ),
    Mutant(
        "measure_throughput",
        "measure_with_autograd",
        "wrong",
        _edit(MEASURE, "with torch.inference_mode(), precision:", "with precision:"),
        why="times the forward pass with autograd recording it",
    ),
    Mutant(
        "measure_throughput",
        "measure_ignores_dtype",
        "wrong",
        _edit(MEASURE, "precision = torch.autocast(device.type, dtype=dtype) if dtype != torch.float32 else contextlib.nullcontext()",
              "precision = contextlib.nullcontext()"),
        why="ignores dtype: always float32, never autocast",
    ),
    Mutant(
        "measure_throughput",
        "measure_batch_not_channels_last",
        "wrong",
        _edit(MEASURE, "        batch = batch.contiguous(memory_format=torch.channels_last)\n", ""),
        why="converts the model to channels_last but not the batch",
    ),
    Mutant(
        "measure_throughput",
        "measure_model_not_moved",
        "wrong",
        _edit(MEASURE, "model = model.to(device).eval()", "model = model.eval()"),
        why="moves the batch to the device but leaves the model where it was",
    ),
    Mutant(
        "measure_throughput",
        "measure_perf_counter_loop",
        "correct",
        """
def measure_throughput(model, batch, device, dtype=torch.float32, channels_last=False):
    import statistics

    device = torch.device(device)
    model.to(device)
    model.eval()
    memory_format = torch.channels_last if channels_last else torch.contiguous_format
    model.to(memory_format=memory_format)
    x = batch.to(device).contiguous(memory_format=memory_format)
    use_autocast = dtype in (torch.bfloat16, torch.float16)

    def run():
        with torch.no_grad():
            if use_autocast:
                with torch.autocast(device_type=device.type, dtype=dtype):
                    return model(x)
            return model(x)

    def sync():
        if device.type == "cuda":
            torch.cuda.synchronize(device)

    for _ in range(2):
        run()
    sync()
    times = []
    while sum(times) < 0.1 or len(times) < 5:
        start = time.perf_counter()
        run()
        sync()
        times.append(time.perf_counter() - start)
    return float(len(x) / statistics.median(times))
""",
        why="times single calls with time.perf_counter and explicit synchronisation, under torch.no_grad()",
    ),
    Mutant(
        "measure_throughput",
        "measure_exit_stack_adaptive",
        "correct",
        """
def measure_throughput(model, batch, device, dtype=torch.float32, channels_last=False):
    device = torch.device(device)
    fmt = torch.channels_last if channels_last else torch.preserve_format
    model.to(device=device, memory_format=fmt).train(False)
    images = batch.to(device=device, memory_format=fmt)

    @torch.inference_mode()
    def step():
        with contextlib.ExitStack() as stack:
            if dtype is not torch.float32:
                stack.enter_context(torch.autocast(device_type=device.type, dtype=dtype))
            return model(images)

    step(), step(), step()
    if device.type == "cuda":
        torch.cuda.synchronize()
    timer = benchmark.Timer("step()", globals=dict(step=step), num_threads=torch.get_num_threads())
    return float(images.size(0)) / timer.adaptive_autorange(min_run_time=0.1).median
""",
        why="one .to() call for device and format, train(False), a decorated step, ExitStack, adaptive_autorange",
    ),
    # ------------------------------------------------------------------------------------------ profile
    Mutant(
        "profile",
        "profile_state_dict_params",
        "wrong",
        _edit(PROFILE, "params = sum(p.numel() for p in model.parameters())",
              "params = sum(v.numel() for v in model.state_dict().values())"),
        why="counts the state_dict, which also holds batch norm's running statistics (buffers)",
    ),
    Mutant(
        "profile",
        "profile_params_per_module",
        "wrong",
        _edit(PROFILE, "params = sum(p.numel() for p in model.parameters())",
              "params = sum(p.numel() for m in model.modules() for p in m.parameters(recurse=False))"),
        why="adds up every module's own parameters, so a weight shared by two layers counts twice",
    ),
    Mutant(
        "profile",
        "profile_multiply_adds",
        "wrong",
        _edit(PROFILE, "return ModelProfile(params, counter.get_total_flops(), ",
              "return ModelProfile(params, counter.get_total_flops() // 2, "),
        why="reports multiply-adds (what papers often call FLOPs) instead of FlopCounterMode's FLOPs",
    ),
    Mutant(
        "profile",
        "profile_counts_the_batch",
        "wrong",
        _edit(PROFILE, "image = torch.zeros(1, *input_size, device=device, dtype=dtype)",
              "image = torch.zeros(batch_size, *input_size, device=device, dtype=dtype)"),
        why="counts FLOPs and activations on a whole batch of batch_size images, not one",
    ),
    Mutant(
        "profile",
        "profile_hooks_every_module",
        "wrong",
        _edit(PROFILE, "leaves = [m for m in model.modules() if next(m.children(), None) is None]",
              "leaves = list(model.modules())"),
        why="hooks containers too (nn.Sequential, blocks), so their outputs count a second time",
    ),
    Mutant(
        "profile",
        "profile_counts_values",
        "wrong",
        _edit(PROFILE, "t.numel() * t.element_size() for t in outputs", "t.numel() for t in outputs"),
        why="counts activation values, not bytes",
    ),
    Mutant(
        "profile",
        "profile_counts_the_input",
        "wrong",
        _edit(PROFILE, "    activation_bytes = 0\n", "    activation_bytes = math.prod(input_size) * 4  # the input image too\n"),
        why="counts the input image as an activation",
    ),
    Mutant(
        "profile",
        "profile_hooks_left",
        "wrong",
        _edit(PROFILE, """    finally:
        for handle in handles:
            handle.remove()
""", """    finally:
        pass
"""),
        why="never removes its hooks, so a second call counts the activations twice",
    ),
    Mutant(
        "profile",
        "profile_latency_seconds",
        "wrong",
        _edit(PROFILE, "latency_ms = 1000 / measure_throughput(model, image, device)",
              "latency_ms = 1 / measure_throughput(model, image, device)"),
        why="reports the latency in seconds, not milliseconds",
    ),
    Mutant(
        "profile",
        "profile_throughput_at_batch_1",
        "wrong",
        _edit(PROFILE, "throughput = measure_throughput(model, torch.zeros(batch_size, *input_size, device=device, dtype=dtype), device)",
              "throughput = measure_throughput(model, image, device)"),
        why="measures the throughput on one image whatever batch_size is",
    ),
    Mutant(
        "profile",
        "profile_mode_not_restored",
        "wrong",
        _edit(PROFILE, "        model.train(was_training)\n", "        pass\n"),
        why="leaves the model in eval mode",
    ),
    Mutant(
        "profile",
        "profile_float32_input",
        "wrong",
        _edit(PROFILE, "image = torch.zeros(1, *input_size, device=device, dtype=dtype)",
              "image = torch.zeros(1, *input_size, device=device)"),
        why="counts on a float32 image whatever the model's dtype, which fails for a float64 model",
    ),
    Mutant(
        "profile",
        "profile_device_none_is_cpu",
        "wrong",
        _edit(PROFILE, "device = first.device if first is not None else torch.device(\"cpu\")",
              "device = torch.device(\"cpu\")"),
        why="runs on the CPU when device is None, instead of where the model is (a meta model cannot be moved)",
    ),
    Mutant(
        "profile",
        "profile_batch_divided",
        "correct",
        """
def profile(model, input_size, batch_size=1, device=None):
    tensors = list(model.parameters())
    device = torch.device(device) if device is not None else (tensors[0].device if tensors else torch.device("cpu"))
    dtype = tensors[0].dtype if tensors else torch.float32
    mode = model.training
    model.to(device)
    model.eval()
    sizes = []
    handles = []
    for _, module in model.named_modules():
        if len(list(module.children())) == 0:
            handles.append(module.register_forward_hook(
                lambda m, i, o: sizes.extend(t.nelement() * t.element_size() for t in (o if isinstance(o, (tuple, list)) else [o])
                                             if torch.is_tensor(t))))
    batch = torch.zeros((batch_size, *input_size), device=device, dtype=dtype)
    try:
        counter = FlopCounterMode(display=False)
        with torch.no_grad(), counter:
            model(batch)
    finally:
        for handle in handles:
            handle.remove()
    flops = counter.get_total_flops() // batch_size
    activations = sum(sizes) // batch_size
    try:
        throughput = measure_throughput(model, batch, device)
        latency = 1e3 / measure_throughput(model, batch[:1], device)
    finally:
        model.train(mode)
    return ModelProfile(params=sum(p.numel() for p in model.parameters()), flops=flops, activation_bytes=activations,
                        latency_ms=latency, throughput=throughput)
""",
        why="counts on the whole batch and divides by its size; no_grad; named_modules and a list of sizes",
    ),
    Mutant(
        "profile",
        "profile_global_hook",
        "correct",
        """
def profile(model, input_size, batch_size=1, device=None):
    params = list(model.parameters())
    if device is None:
        device = params[0].device if params else "cpu"
    dtype = params[0].dtype if params else torch.float32
    training = model.training
    model.to(device).eval()
    leaves = {id(m) for m in model.modules() if not list(m.children())}
    sizes = []

    def record(module, args, result):
        if id(module) in leaves:
            for t in result if isinstance(result, (tuple, list)) else [result]:
                if isinstance(t, torch.Tensor):
                    sizes.append(t.nelement() * t.itemsize)

    one = torch.zeros((1,) + tuple(input_size), device=device, dtype=dtype)
    handle = nn.modules.module.register_module_forward_hook(record)
    try:
        counter = FlopCounterMode(display=False)
        with torch.no_grad(), counter:
            model(one)
    finally:
        handle.remove()
    try:
        throughput = measure_throughput(model, one.expand(batch_size, *input_size).contiguous(), device)
        latency_ms = 1e3 / measure_throughput(model, one, device)
    finally:
        model.train(training)
    return ModelProfile(sum(map(torch.numel, params)), counter.get_total_flops(), sum(sizes), latency_ms, throughput)
""",
        why="a global module hook filtered to the model's leaves, nelement * itemsize, an expanded batch, no_grad",
    ),
    # ------------------------------------------------------------------------------------------ fast_inference
    Mutant(
        "fast_inference",
        "fast_no_eval",
        "wrong",
        _edit(FAST, "    model.eval()\n", ""),
        why="leaves the model in training mode: dropout on, batch statistics",
    ),
    Mutant(
        "fast_inference",
        "fast_no_grad",
        "wrong",
        _edit(FAST, "with torch.inference_mode():", "with torch.no_grad():"),
        why="uses torch.no_grad() instead of inference mode",
    ),
    Mutant(
        "fast_inference",
        "fast_input_not_channels_last",
        "wrong",
        _edit(FAST, "        x = x.contiguous(memory_format=torch.channels_last)\n", ""),
        why="converts the weights to channels_last but not the input",
    ),
    Mutant(
        "fast_inference",
        "fast_model_not_channels_last",
        "wrong",
        _edit(FAST, "    model.to(memory_format=torch.channels_last)\n", ""),
        why="converts the input to channels_last but not the weights",
    ),
    Mutant(
        "fast_inference",
        "fast_autocast_everywhere",
        "wrong",
        _edit(FAST, """            if not on_cuda:
                return model(x)
""", """            if not on_cuda:
                with torch.autocast("cpu", dtype=torch.bfloat16):
                    return model(x).float()
"""),
        why="runs bfloat16 autocast on the CPU too",
    ),
    Mutant(
        "fast_inference",
        "fast_enabled_flags",
        "correct",
        """
def fast_inference(model):
    model = model.eval().to(memory_format=torch.channels_last)
    device = next(iter(model.parameters())).device
    gpu = device.type == "cuda"

    @torch.inference_mode()
    def predict(images):
        images = images.to(memory_format=torch.channels_last)
        with torch.backends.cudnn.flags(enabled=True, benchmark=gpu, deterministic=False, allow_tf32=False):
            with torch.autocast(device.type, dtype=torch.bfloat16, enabled=gpu):
                result = model(images)
        return result.float()

    return predict
""",
        why="a decorated predict, cuDNN flags and autocast always entered, enabled only on CUDA",
    ),
    Mutant(
        "fast_inference",
        "fast_predictor_class",
        "correct",
        """
class _Predictor:
    def __init__(self, model):
        self.model = model.eval().to(memory_format=torch.channels_last)
        self.cuda = any(p.is_cuda for p in model.parameters())

    def __call__(self, x):
        with contextlib.ExitStack() as stack:
            stack.enter_context(torch.inference_mode())
            if self.cuda:
                stack.enter_context(torch.backends.cudnn.flags(enabled=True, benchmark=True, deterministic=False,
                                                               allow_tf32=False))
                stack.enter_context(torch.autocast(device_type="cuda", dtype=torch.bfloat16))
            out = self.model(x.to(memory_format=torch.channels_last))
            return out.to(torch.float32)


def fast_inference(model):
    return _Predictor(model)
""",
        why="a callable object, contexts entered with an ExitStack, x.to(memory_format=...) and out.to(float32)",
    ),
]

# The demo's buggy student: mistakes in two of the three functions (measure_throughput is right, and profile calls it),
# so it lands between 0 and full marks.
BUGGY = [
    "profile_multiply_adds",
    "fast_no_grad",
]
