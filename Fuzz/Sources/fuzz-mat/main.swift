import Evaluation
import FuzzDriver
import Glibc

exit(fuzz { bytes in
    _ = try? MATFile(bytes: bytes, fileName: "fuzz.mat")
})
