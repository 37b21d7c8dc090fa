import TFLite

/// DENSIFY of a sparse constant: its dense bytes were expanded when the model was read; the
/// output aliases them (folded, no kernel).
enum Densify {
    static let registration = OpRegistration(roles: ["input"]) { ctx in
        let x = try ctx.input("input"), y = try ctx.output()
        guard let source = ctx.builder.densifiedBytes(x.index), x.type == y.type, x.shape == y.shape else {
            throw ctx.fail("DENSIFY needs one sparse constant input of the output's type and shape")
        }
        return OpPlan(folded: .bytes(source))
    }
}
