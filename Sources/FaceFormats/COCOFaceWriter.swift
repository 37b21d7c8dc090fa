import BlazeFace

/// One COCO-style JSON document for the run, written at ``finish()``:
///
/// - `images`: `{"id", "file_name", "width", "height"}` for each image processed (ids from 1);
/// - `annotations`: `{"id", "image_id", "category_id": 1, "bbox": [x, y, w, h], "area", "score",
///   "iscrowd": 0, "keypoints": [x, y, 2, ...], "num_keypoints"}` for each face;
/// - `categories`: the one category `face`, with the keypoint names in ``FaceKeypoint`` order.
///
/// Images that failed are left out.
public struct COCOFaceWriter: FaceWriter {
    private let output: TextOutput
    private var images: [String] = []
    private var annotations: [String] = []

    /// Starts a document.
    public init(to output: TextOutput) {
        self.output = output
    }

    /// Writes one image's record (see the type's description for what it holds).
    public mutating func write(_ r: ImageFaces) throws {
        guard r.error == nil else { return }
        let imageID = images.count + 1
        images.append(JSONText.object([("id", "\(imageID)"), ("file_name", JSONText.string(r.path)),
                                       ("width", "\(r.width)"), ("height", "\(r.height)")]))
        for f in r.faces {
            let points = FaceKeypoint.allCases.compactMap { f.keypoints[$0] }
            let flat = points.flatMap { [JSONText.number($0.x), JSONText.number($0.y), "2"] }
            let bbox = [f.box.x, f.box.y, f.box.width, f.box.height].map(JSONText.number)
            annotations.append(JSONText.object([
                ("id", "\(annotations.count + 1)"), ("image_id", "\(imageID)"), ("category_id", "1"),
                ("bbox", JSONText.array(bbox)), ("area", JSONText.number(f.box.width * f.box.height)),
                ("score", JSONText.number(f.score)), ("iscrowd", "0"),
                ("keypoints", JSONText.array(flat)), ("num_keypoints", "\(points.count)"),
            ]))
        }
    }

    /// Completes the output and closes any file.
    public mutating func finish() throws {
        let category = JSONText.object([
            ("id", "1"), ("name", JSONText.string("face")), ("supercategory", JSONText.string("face")),
            ("keypoints", JSONText.array(FaceKeypoint.allCases.map { JSONText.string($0.rawValue) })),
            ("skeleton", "[]"),
        ])
        func list(_ items: [String]) -> String {
            items.isEmpty ? "[]" : "[\n    " + items.joined(separator: ",\n    ") + "\n  ]"
        }
        output.write("{\n  \"images\": \(list(images)),\n  \"annotations\": \(list(annotations)),\n  \"categories\": [\(category)]\n}\n")
        try output.close()
    }
}
