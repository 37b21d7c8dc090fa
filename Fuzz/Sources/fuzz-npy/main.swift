import Engine
import FuzzDriver
import Glibc

exit(fuzz { bytes in
    _ = try? NumpyArray(npyBytes: bytes)
})
