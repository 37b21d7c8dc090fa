import Testing
@testable import Imaging

@Suite struct DrawingTests {
    @Test func rectangleOutlineIsDrawnInsideTheBox() {
        var image = RGBImage(width: 20, height: 20)
        image.drawRect(x: 2, y: 3, width: 10, height: 8, color: .red, thickness: 2)
        #expect(image.pixel(x: 2, y: 3) == .red)
        #expect(image.pixel(x: 11, y: 10) == .red)
        #expect(image.pixel(x: 3, y: 4) == .red)
        #expect(image.pixel(x: 4, y: 5) == .black)   // interior
        #expect(image.pixel(x: 12, y: 3) == .black)  // just outside
        #expect(image.pixel(x: 1, y: 3) == .black)
        let red = stride(from: 0, to: image.pixels.count, by: 3).filter { image.pixels[$0] == 255 }.count
        #expect(red == 10 * 8 - 6 * 4)
    }

    @Test func drawingIsClippedToTheImage() {
        var image = RGBImage(width: 10, height: 10)
        image.drawRect(x: -5, y: -5, width: 100, height: 100, color: .green, thickness: 2)
        #expect(image == RGBImage(width: 10, height: 10))  // every edge is outside
        image.drawRect(x: -5, y: 5, width: 8, height: 100, color: .green, thickness: 1)
        #expect(image.pixel(x: 2, y: 5) == .green && image.pixel(x: 2, y: 9) == .green)
        image.drawRect(x: Int.max - 2, y: Int.min, width: Int.max, height: Int.max, color: .red)
        image.fillRect(x: Int.min, y: Int.min, width: Int.max, height: Int.max, color: .red)
        image.drawDot(x: Int.max, y: Int.min, radius: Int.max, color: .red)
        image.drawText("99.9%", x: Int.max - 3, y: Int.min + 1, color: .red, scale: 1000)
        #expect(image.pixels.allSatisfy { $0 == 0 || $0 == 255 })
        #expect(image.pixel(x: 0, y: 0) == .black)
    }

    @Test func dotIsARoundDisc() {
        var image = RGBImage(width: 11, height: 11)
        image.drawDot(x: 5, y: 5, radius: 3, color: .yellow)
        #expect(image.pixel(x: 5, y: 5) == .yellow && image.pixel(x: 8, y: 5) == .yellow && image.pixel(x: 5, y: 2) == .yellow)
        #expect(image.pixel(x: 8, y: 8) == .black && image.pixel(x: 9, y: 5) == .black)
        image.drawDot(x: 0, y: 10, radius: 2, color: .blue)  // partly outside
        #expect(image.pixel(x: 0, y: 10) == .blue && image.pixel(x: 2, y: 10) == .blue)
    }

    @Test func textRendersGlyphBitmaps() {
        var image = RGBImage(width: 40, height: 20)
        image.drawText("1.", x: 1, y: 2, color: .white, scale: 2)
        // '1' row 0 is 00100: column 2 lit, scaled 2x -> pixels (5...6, 2...3).
        #expect(image.pixel(x: 5, y: 2) == .white && image.pixel(x: 6, y: 3) == .white)
        #expect(image.pixel(x: 1, y: 2) == .black)
        // '1' row 6 is 01110: columns 1...3.
        #expect(image.pixel(x: 3, y: 14) == .white && image.pixel(x: 8, y: 15) == .white && image.pixel(x: 9, y: 14) == .black)
        // '.' starts at x = 1 + 12; rows 5...6, columns 1...2.
        #expect(image.pixel(x: 15, y: 12) == .white && image.pixel(x: 18, y: 15) == .white && image.pixel(x: 15, y: 11) == .black)
        #expect(RGBImage.textSize("0.93", scale: 2) == (46, 14))
    }

    @Test func everyRequiredCharacterHasAGlyph() {
        for character in "0123456789.%ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" {
            var image = RGBImage(width: 6, height: 7)
            image.drawText(String(character), x: 0, y: 0, color: .white)
            #expect(image.pixels.contains(255), "\(character)")
            #expect(BitmapFont.rows(for: character) != BitmapFont.rows(for: "?") || character == "?")
        }
    }
}
