"""Words the demo market is made of: Indonesian names, niches, brands, captions."""

from __future__ import annotations

FIRST_NAMES = (
    "sari",
    "budi",
    "dewi",
    "putri",
    "agus",
    "rina",
    "andi",
    "wulan",
    "bayu",
    "intan",
    "rizky",
    "ayu",
    "fajar",
    "nadia",
    "dimas",
    "citra",
    "eka",
    "indah",
    "yoga",
    "tiara",
    "gilang",
    "maya",
    "reza",
    "laras",
    "hendra",
    "nurul",
    "adit",
    "sekar",
    "bima",
    "anisa",
)
LAST_NAMES = (
    "wulandari",
    "santoso",
    "pratama",
    "lestari",
    "saputra",
    "kusuma",
    "hidayat",
    "permata",
    "nugroho",
    "rahmawati",
    "setiawan",
    "maharani",
    "wijaya",
    "anggraini",
    "siregar",
    "hutapea",
    "purnama",
    "susanti",
    "gunawan",
    "utami",
)
NICHES = (
    "beauty",
    "fashion",
    "health",
    "food",
    "travel",
    "tech",
    "parenting",
    "gaming",
    "sustainability",
)
NICHE_WORDS = {
    "beauty": ("glow", "skincare", "makeup", "cantik"),
    "fashion": ("ootd", "style", "hijab", "batik"),
    "health": ("sehat", "fit", "yoga", "gizi"),
    "food": ("kuliner", "makan", "resep", "jajan"),
    "travel": ("jalan", "trip", "wisata", "backpacker"),
    "tech": ("gadget", "tekno", "review", "pc"),
    "parenting": ("mama", "papa", "bunda", "keluarga"),
    "gaming": ("gamer", "mabar", "esports", "play"),
    "sustainability": ("hijau", "zerowaste", "eco", "bumi"),
}
CAUSES = (
    "lingkungan",
    "vegetarian",
    "pendidikan",
    "kesehatan mental",
    "umkm lokal",
    "kesetaraan gender",
    "literasi digital",
)
LANGUAGES = (("id",), ("id", "en"), ("id", "jv"), ("id", "su"), ("id", "en", "jv"))

BRAND_INDUSTRIES = {
    "fashion": (
        ("Batik", "Kain", "Rupa", "Sekar", "Tenun", "Nusa"),
        ("Wear", "Studio", "Label", "Co"),
    ),
    "beauty": (
        ("Purela", "Kirana", "Ayu", "Mentari", "Sari", "Melati"),
        ("Skin", "Beauty", "Glow", "Lab"),
    ),
    "health": (
        ("Sehat", "Vita", "Jamu", "Herba", "Bugar", "Prima"),
        ("Farma", "Care", "Nutri", "Plus"),
    ),
    "food & beverage": (
        ("Kopi", "Teh", "Dapur", "Rasa", "Sambal", "Kue"),
        ("Senja", "Nusantara", "Ibu", "Kita"),
    ),
}
BRAND_CAUSES = ("produk lokal", "ramah lingkungan", "bebas uji hewan", "halal", "fair trade")

PROS = (
    "teksturnya ringan",
    "wanginya lembut",
    "harganya terjangkau",
    "kemasan praktis",
    "hasilnya terlihat dalam seminggu",
    "bahan lokal",
    "rasanya enak",
    "pengiriman cepat",
    "nyaman dipakai seharian",
    "baterai awet",
)
CONS = (
    "ukurannya kecil",
    "agak lengket",
    "harganya sedikit mahal",
    "pilihan warna terbatas",
    "stok sering habis",
    "aromanya kuat",
    "butuh waktu untuk terasa",
    "kemasan kurang rapi",
)
CAPTION_OPENERS = (
    "Jujur, aku suka banget",
    "Sudah dua minggu pakai",
    "Review jujur:",
    "Cobain bareng yuk",
    "Akhirnya nemu juga",
    "Ini pengalamanku pakai",
)
DISCLOSURE_TAGS = (
    "#ad",
    "#iklan",
    "#Sponsored",
    "#paidpromote",
    "#kerjasama",
    "#endorse",
    "#Iklan",
)
CARRIERS = ("JNE", "J&T", "SiCepat", "AnterAja", "Pos Indonesia")
DECLINE_REASONS = (
    "jadwal penuh bulan ini",
    "produk kurang cocok dengan audiensku",
    "anggaran tidak cukup",
    "niche kami berbeda",
)
CANCEL_REASONS = (
    "produk tidak sesuai deskripsi",
    "kreator tidak bisa dihubungi",
    "brand menghentikan produk",
    "perubahan strategi kampanye",
)
COMMENTS_GOOD = (
    "Komunikasi lancar, hasil konten bagus.",
    "Sangat profesional, akan kerja sama lagi.",
    "Brief jelas dan pembayaran tepat waktu.",
    "Audiensnya sangat cocok dengan produk kami.",
)
COMMENTS_BAD = (
    "Pembayaran terlambat.",
    "Revisi terlalu banyak.",
    "Konten terlambat diunggah.",
    "Brief kurang jelas.",
)
