import BlazeFace
import Foundation
import Imaging
import Testing
import TestSupport

/// The model-family table: names, presets, file search, and `FaceDetector(model:)`.
@Suite struct ModelFamilyTests {
    @Test func namesAndAliasesResolve() {
        #expect(ModelFamily.all.map(\.name) == ["front", "back", "full-range", "full-range-sparse", "front-int8", "back-int8", "full-range-int8", "st-int8"])
        #expect(ModelFamily.named("front") == .front && ModelFamily.named("float") == .front && ModelFamily.named("short-range") == .front)
        #expect(ModelFamily.named("back") == .back)
        #expect(ModelFamily.named("full-range") == .fullRange && ModelFamily.named("full_range") == .fullRange)
        #expect(ModelFamily.named("Full-Range-Sparse") == .fullRangeSparse)
        #expect(ModelFamily.named("st") == .stInt8 && ModelFamily.named("st-int8") == .stInt8)
        #expect(ModelFamily.named("int8") == .frontInt8 && ModelFamily.named("front-int8") == .frontInt8 && ModelFamily.named("back_int8") == .backInt8)
        #expect(ModelFamily.named("models/face_detection_front.tflite") == nil)
        // Every name is unique across the table.
        let names = ModelFamily.all.flatMap(\.names)
        #expect(Set(names).count == names.count)
    }

    /// The presets the table holds are those the detector used to pick by input size.
    @Test func presetsMatchMediaPipesGraphs() {
        #expect(ModelFamily.all.map(\.inputSize) == [128, 256, 192, 192, 128, 256, 192, 128])
        #expect(generateAnchors(ModelFamily.front.anchors).count == 896)
        #expect(generateAnchors(ModelFamily.back.anchors).count == 896)
        #expect(generateAnchors(ModelFamily.fullRange.anchors).count == 2304)
        for f in ModelFamily.all {
            #expect(f.anchors.inputWidth == f.inputSize && f.anchors.inputHeight == f.inputSize, "\(f)")
            #expect(f.decoding.xScale == Float(f.inputSize) && f.decoding.hScale == Float(f.inputSize), "\(f)")
            #expect(f.widerBox == .widerFace)
        }
        #expect(ModelFamily.stInt8.normalization == .unit && ModelFamily.front.normalization == .symmetric)
        #expect(ModelFamily.frontInt8.normalization == .symmetric && ModelFamily.frontInt8.fileName == "face_detection_front_int8.tflite")
        #expect(ModelFamily.fullRangeInt8.quantizedFrom == "full-range" && ModelFamily.stInt8.quantizedFrom == nil)
        #expect(ModelFamily.matching(inputSize: 128, normalization: .unit) == .stInt8)
        #expect(ModelFamily.matching(inputSize: 128, normalization: .symmetric) == .front)
        #expect(ModelFamily.matching(inputSize: 192, normalization: .symmetric) == .fullRange)
        #expect(ModelFamily.matching(inputSize: 64, normalization: .symmetric) == nil)
    }

    @Test func searchFoldersAreListedOnce() {
        let folders = ModelFiles.searchFolders(environment: ["BLAZEFACE_MODELS": "/tmp/m/"], currentDirectory: "/work/x",
                                               executable: "/work/x/.build/release/blazeface")
        #expect(folders == ["/tmp/m/", "/work/x/models", "/work/shared/models"])
        let plain = ModelFiles.searchFolders(environment: [:], currentDirectory: "/a/b", executable: "/usr/bin/blazeface")
        #expect(plain == ["/a/b/models", "/a/b/../shared/models"])
    }

    @Test(.requires(.int8Model)) func int8IsFoundThroughItsVariableOrNamedWhenMissing() throws {
        let fake = ["BLAZEFACE_INT8_MODEL": "/nonexistent/st.tflite"]
        #expect(ModelFamily.stInt8.find(environment: fake) == nil)
        #expect(ModelFamily.stInt8.find(environment: ["BLAZEFACE_INT8_MODEL": SharedData.int8Model]) == SharedData.int8Model)
        let missing = ModelNotFound(family: .stInt8, folders: ["/a/models", "/b/models"])
        #expect(missing.description == "model 'st-int8' (blazeface_front_128_quant_pc_ff_od_wider_face.tflite) not found; "
                + "$BLAZEFACE_INT8_MODEL is not set; searched /a/models, /b/models; "
                + "set $BLAZEFACE_INT8_MODEL to the file's path, put it in one of those folders, or pass --model PATH")
        #expect(!missing.description.contains("setup.sh"))
        #expect(ModelNotFound(family: .back, folders: ["/a"]).description.contains("run scripts/setup.sh to fetch it"))
        #expect(ModelNotFound(family: .frontInt8, folders: ["/a"]).description.contains("run scripts/setup.sh to make it (blazeface quantize of 'front')"))
        #expect(ModelFiles.defaultModel(environment: ["BLAZEFACE_MODEL": "back"]) == "back")
    }

    /// `FaceDetector(model:)` finds each fetched family's file and finds the astronaut's face.
    @Test func everyFamilyDetectsByName() throws {
        let photo = try ImageDecoder.decode(path: SharedData.samplePhoto)
        for family in [ModelFamily.front, .back, .fullRange, .fullRangeSparse] {
            let detector = try FaceDetector(model: family)
            #expect(detector.family == family && detector.inputSize == family.inputSize)
            let faces = detector.detect(in: photo)
            #expect(faces.count == 1, "\(family): \(faces.count) faces")
            if let b = faces.first?.box { #expect(abs(b.x + b.width / 2 - 225) < 12 && abs(b.y + b.height / 2 - 128) < 14, "\(family): \(b)") }
        }
    }

    /// A model loaded by path is recognised: the int8 file as int8, the float one as front; a
    /// family that does not fit the file is refused.
    @Test(.requires(.int8Model)) func familiesAreRecognisedFromTheModel() throws {
        #expect(try FaceDetector(modelPath: SharedData.int8Model).family == .stInt8)
        #expect(try FaceDetector(modelPath: SharedData.int8Model).normalization == .unit)
        #expect(try FaceDetector(modelPath: SharedData.floatModel).family == .front)
        #expect(try FaceDetector(modelPath: SharedData.fetchedModel("face_detection_back.tflite")).family == .back)
        #expect(throws: DetectorError.self) { try FaceDetector(modelPath: SharedData.floatModel, family: .back) }
    }
}
