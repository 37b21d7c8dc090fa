import FuzzDriver
import Glibc
import Imaging

// Full decode and the scaled decode detection uses; both must fail cleanly or return pixels.
exit(fuzz { bytes in
    _ = try? ImageDecoder.decode(data: bytes, name: "fuzz")
    _ = try? ImageDecoder.decodeScaled(data: bytes, name: "fuzz", minimumSize: 128)
})
