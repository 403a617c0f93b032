# Writes golden.safetensors with the reference implementation (pip: safetensors 0.8.0, numpy), for
# SafeTensorsGoldenTest. Run from this folder: python make_golden.py
import numpy as np
from safetensors import TensorSpec, serialize_file

arrays = {
    "f32": ("float32", np.array([[0.0, 1.5, -2.25], [1e-3, 65504.0, -0.0]], dtype=np.float32)),
    "f16": ("float16", np.array([1.0, -2.0, 0.333251953125, 6.103515625e-05], dtype=np.float16)),
    # numpy has no bfloat16: the raw bits of 1, -3, 3.140625 and 2^-133 (a subnormal)
    "bf16": ("bfloat16", np.array([[0x3F80, 0xC040], [0x4049, 0x0001]], dtype="<u2")),
    "scalar": ("float32", np.array(7.0, dtype=np.float32)),
}
specs = {
    name: TensorSpec(dtype=dtype, shape=list(a.shape), data_ptr=a.ctypes.data, data_len=a.nbytes)
    for name, (dtype, a) in arrays.items()
}
serialize_file(specs, "golden.safetensors", metadata={"format": "np", "writer": "safetensors-0.8.0"})
