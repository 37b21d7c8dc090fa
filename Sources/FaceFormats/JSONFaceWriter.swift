/// JSON (`[record, ...]`, one record per line inside the brackets; indented when standard output
/// is a terminal) or JSON lines (one record per line). A record is `{"path", "width", "height", "faces", "error"?, "modelCalls"?}`; a face
/// is `{"score", "box": {"x", "y", "width", "height"}, "keypoints": {"right_eye": {"x", "y"}, ...}}`.
public struct JSONFaceWriter: FaceWriter {
    private let output: TextOutput
    private let lines: Bool
    private var count = 0

    /// Starts writing; `lines` chooses JSON lines.
    public init(to output: TextOutput, lines: Bool) {
        self.output = output
        self.lines = lines
        if !lines { output.write("[") }
    }

    /// The JSON text of one record.
    public static func encode(_ r: ImageFaces) -> String {
        var members = [("path", JSONText.string(r.path)), ("width", "\(r.width)"), ("height", "\(r.height)"),
                       ("faces", JSONText.array(r.faces.map(JSONText.face)))]
        if let e = r.error { members.append(("error", JSONText.string(e))) }
        if let c = r.modelCalls { members.append(("modelCalls", "\(c)")) }
        return JSONText.object(members)
    }

    /// Writes one image's record (see the type's description for what it holds). On a
    /// terminal, JSON (not JSON lines, which is one record a line by definition) is indented.
    public mutating func write(_ record: ImageFaces) throws {
        let text = !lines && output.isTerminal ? JSONText.pretty(Self.encode(record), indent: 1) : Self.encode(record)
        output.write(lines ? text + "\n" : (count == 0 ? "\n  " : ",\n  ") + text)
        count += 1
    }

    /// Completes the output and closes any file.
    public mutating func finish() throws {
        if !lines { output.write(count == 0 ? "]\n" : "\n]\n") }
        try output.close()
    }
}
