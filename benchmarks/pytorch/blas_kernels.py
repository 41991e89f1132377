"""Which OpenBLAS kernel PyTorch multiplies with, and how fast: thread-CPU-time GFLOP/s of torch.mm on
one thread at n = 1024 and two of the race's product shapes. Compare kernels with OPENBLAS_CORETYPE:

    for c in "" Zen SkylakeX Haswell; do OPENBLAS_CORETYPE=$c /usr/bin/python3 benchmarks/pytorch/blas_kernels.py; done
"""
import os, time, ctypes, torch
torch.set_num_threads(1)
def corename():
    for line in open("/proc/self/maps"):
        if "openblas" in line and ".so" in line:
            lib=ctypes.CDLL(line.split()[-1]); lib.openblas_get_corename.restype=ctypes.c_char_p
            return lib.openblas_get_corename().decode()
out=[]
for n,m,k in [(1024,1024,1024),(768,512,128),(768,128,512)]:
    a=torch.randn(m,k); b=torch.randn(k,n)
    for _ in range(3): a@b
    best=1e9
    for _ in range(10):
        t=time.thread_time(); 
        for _ in range(5): a@b
        best=min(best,(time.thread_time()-t)/5)
    out.append("%dx%dx%d %.1f"%(m,n,k,2*m*n*k/best/1e9))
print(os.environ.get("OPENBLAS_CORETYPE","(auto)"), corename(), " ".join(out))
