import Testing

@testable import HeedCore

@Suite struct IPAddressBytesTests {
    @Test func parsesIPv4() {
        #expect(IPAddressBytes.parse("127.0.0.1") == [127, 0, 0, 1])
        #expect(IPAddressBytes.parse("255.255.255.255") == [255, 255, 255, 255])
        for bad in ["256.0.0.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1..3.4", "a.b.c.d", "1.2.3.4 ", "+1.2.3.4", ""] {
            #expect(IPAddressBytes.parse(Substring(bad)) == nil, "\(bad)")
        }
    }

    @Test func parsesIPv6() {
        #expect(IPAddressBytes.parse("::1") == [UInt8](repeating: 0, count: 15) + [1])
        #expect(IPAddressBytes.parse("::") == [UInt8](repeating: 0, count: 16))
        #expect(IPAddressBytes.parse("fe80::") == [0xFE, 0x80] + [UInt8](repeating: 0, count: 14))
        #expect(
            IPAddressBytes.parse("2001:db8:0:0:1:0:0:1")
                == [0x20, 0x01, 0x0D, 0xB8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1]
        )
        #expect(IPAddressBytes.parse("2001:DB8::1:0:0:1") == IPAddressBytes.parse("2001:db8:0:0:1:0:0:1"))
        let mapped = [UInt8](repeating: 0, count: 10) + [0xFF, 0xFF, 10, 0, 0, 1]
        #expect(IPAddressBytes.parse("::ffff:10.0.0.1") == mapped)
        #expect(IPAddressBytes.parse("1:2:3:4:5:6:1.2.3.4") == [0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 1, 2, 3, 4])
        let bad = [
            "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "1::2::3", ":::", "1:2:3:4:5:6:7::8", "12345::", "g::1",
            "::1%eth0", "1.2.3.4::", "::1.2.3", "1:", ":1", "[::1]",
        ]
        for text in bad {
            #expect(IPAddressBytes.parse(Substring(text)) == nil, "\(text)")
        }
    }

    @Test func matchesPrefixes() {
        let loopback: [UInt8] = [127, 0, 0, 0]
        #expect(IPAddressBytes.matches([127, 1, 2, 3], network: loopback, prefixLength: 8))
        #expect(!IPAddressBytes.matches([128, 0, 0, 1], network: loopback, prefixLength: 8))
        #expect(IPAddressBytes.matches([10, 0, 0, 255], network: [10, 0, 0, 128], prefixLength: 25))
        #expect(!IPAddressBytes.matches([10, 0, 0, 127], network: [10, 0, 0, 128], prefixLength: 25))
        #expect(IPAddressBytes.matches([1, 2, 3, 4], network: [9, 9, 9, 9], prefixLength: 0))
        #expect(!IPAddressBytes.matches([1, 2, 3, 4], network: [1, 2, 3, 4], prefixLength: 33))
        #expect(!IPAddressBytes.matches([1, 2, 3, 4], network: [UInt8](repeating: 0, count: 16), prefixLength: 0))
    }
}
