//! Country calling codes that the ITU has assigned, used to reject numbers
//! whose leading digits cannot reach any network.
//!
//! Source: "List of ITU-T Recommendation E.164 Assigned Country Codes", the
//! complement to Rec. ITU-T E.164 published as an annex to the ITU Operational
//! Bulletin (position on 15 December 2016, annexed to OB No. 1114), together
//! with the assignments announced in later Operational Bulletins, as known up
//! to 2024. Cross-checked against the country codes that libphonenumber
//! carries metadata for.
//!
//! Included: every code assigned to a country or geographic area, the codes
//! that are formally "reserved" for a territory but carry live numbers
//! (+886 Taiwan, +970 Palestine), the code assigned to the Vatican but not
//! dialled in practice (+379), and the codes for global services and
//! international networks (+388 group of countries, +800, +808, +870, +878,
//! +881, +882, +883, +888, +979, +991 trial).
//!
//! Excluded: spare codes and codes reserved for no one in particular, among
//! them +0, +210, +214, +215, +217, +219, +259, +28x, +292..+296, +384, +422,
//! +424..+429, +671 and +684 (Guam and American Samoa moved into +1), +693..+699,
//! +801..+807, +809, +83x, +851, +854, +857..+859, +871..+874 (Inmarsat ocean
//! regions, withdrawn 2008), +875..+877 (reserved for maritime applications),
//! +879 (national non-commercial), +884, +885, +887, +889, +89x, +969, +978,
//! +990, +997 and +999 (reserved for a future global service).
//!
//! Codes are prefix-free: no code here is a prefix of another, so reading one,
//! two, then three digits finds at most one match.

/// Every assigned country calling code, sorted ascending for binary search.
// Kept out of rustfmt so that each line stays one decade of codes.
#[rustfmt::skip]
pub(crate) const ASSIGNED: &[u16] = &[
    // Zone 1: North American Numbering Plan.
    1,
    // Zone 7: Russia, Kazakhstan.
    7,
    // Zone 2: mostly Africa.
    20, 27,
    // Zones 3 and 4: Europe (two-digit codes).
    30, 31, 32, 33, 34, 36, 39, 40, 41, 43, 44, 45, 46, 47, 48, 49,
    // Zone 5: South and Central America (two-digit codes).
    51, 52, 53, 54, 55, 56, 57, 58,
    // Zone 6: South-East Asia and Oceania (two-digit codes).
    60, 61, 62, 63, 64, 65, 66,
    // Zone 8: East Asia (two-digit codes).
    81, 82, 84, 86,
    // Zone 9: West, Central and South Asia (two-digit codes).
    90, 91, 92, 93, 94, 95, 98,
    // Zone 2, three-digit codes.
    211, 212, 213, 216, 218,
    220, 221, 222, 223, 224, 225, 226, 227, 228, 229,
    230, 231, 232, 233, 234, 235, 236, 237, 238, 239,
    240, 241, 242, 243, 244, 245, 246, 247, 248, 249,
    250, 251, 252, 253, 254, 255, 256, 257, 258,
    260, 261, 262, 263, 264, 265, 266, 267, 268, 269,
    290, 291, 297, 298, 299,
    // Zone 3, three-digit codes (383 Kosovo since 2016; 388 shared code).
    350, 351, 352, 353, 354, 355, 356, 357, 358, 359,
    370, 371, 372, 373, 374, 375, 376, 377, 378, 379,
    380, 381, 382, 383, 385, 386, 387, 388, 389,
    // Zone 4, three-digit codes.
    420, 421, 423,
    // Zone 5, three-digit codes.
    500, 501, 502, 503, 504, 505, 506, 507, 508, 509,
    590, 591, 592, 593, 594, 595, 596, 597, 598, 599,
    // Zone 6, three-digit codes.
    670, 672, 673, 674, 675, 676, 677, 678, 679,
    680, 681, 682, 683, 685, 686, 687, 688, 689,
    690, 691, 692,
    // Zone 8, three-digit codes, global services and international networks.
    800, 808,
    850, 852, 853, 855, 856,
    870, 878,
    880, 881, 882, 883, 886, 888,
    // Zone 9, three-digit codes.
    960, 961, 962, 963, 964, 965, 966, 967, 968,
    970, 971, 972, 973, 974, 975, 976, 977, 979,
    991, 992, 993, 994, 995, 996, 998,
];

/// Whether `code` is an assigned country calling code.
pub(crate) fn is_assigned(code: u16) -> bool {
    ASSIGNED.binary_search(&code).is_ok()
}
