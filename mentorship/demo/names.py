"""Pools the demo and benchmark data draw from.

Names are pinyin (surname first, as on a Chinese roster) with a few English
names for international students and foreign coaches. Organisations are
invented so the demo never appears to speak for a real company or office.
"""

SURNAMES = [
    "Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou",
    "Xu", "Sun", "Ma", "Zhu", "Hu", "Guo", "He", "Gao", "Lin", "Luo",
    "Zheng", "Liang", "Xie", "Song", "Tang", "Han", "Feng", "Deng", "Cao", "Peng",
    "Zeng", "Xiao", "Tian", "Dong", "Pan", "Yuan", "Cai", "Jiang", "Yu", "Du",
    "Ye", "Cheng", "Wei", "Su", "Lyu", "Ding", "Ren", "Shen", "Yao", "Lu",
    "Jin", "Fu", "Tan", "Qin", "Gu", "Hou", "Shao", "Meng", "Long", "Wan",
]  # fmt: skip

GIVEN_NAMES = [
    "Yuxuan", "Zihan", "Haoran", "Yutong", "Siyu", "Jiahui", "Mingze", "Xinyi",
    "Zhiyuan", "Ruoxi", "Junjie", "Shiyu", "Wenbo", "Yiran", "Kaiwen", "Xiaotong",
    "Zihao", "Yuqing", "Tianyi", "Jiaqi", "Hanwen", "Mengyao", "Boyang", "Shuhan",
    "Chenxi", "Yifan", "Ziyue", "Haoyu", "Xinyue", "Runze", "Lei", "Fang",
    "Jing", "Min", "Tao", "Qiang", "Hui", "Yan", "Peng", "Li",
    "Xiaoyu", "Jianguo", "Lihua", "Wenjie", "Guoqiang", "Meiling", "Zhiqiang",
    "Shuang", "Yunfei", "Ruolan", "Jiayi", "Chuyi", "Songlin", "Weiwei", "Anqi",
    "Hongyu", "Jinghan", "Lingyun", "Qianqian", "Xuan", "Yijia", "Zhen",
]  # fmt: skip

ENGLISH_FIRST = [
    "Emma", "Daniel", "Olivia", "Lucas", "Sophie", "Michael", "Grace", "Thomas",
    "Hannah", "David", "Amelia", "Jonas", "Clara", "Samuel", "Nora", "Mateo",
]  # fmt: skip

ENGLISH_LAST = [
    "Walker", "Bennett", "Hughes", "Carter", "Foster", "Murphy", "Reed", "Parker",
    "Schmidt", "Novak", "Laurent", "Okafor", "Silva", "Kowalski", "Tanaka", "Larsen",
]  # fmt: skip

# Majors of the business school, by the discipline of a mentor team.
BUSINESS_MAJORS = {
    "finance": ["Finance", "Accounting", "Financial Engineering", "Auditing"],
    "management": [
        "Business Administration",
        "Marketing",
        "Human Resource Management",
        "E-commerce",
    ],
    "economics": ["Economics", "Public Finance", "International Trade", "Public Administration"],
    "operations": [
        "Management Science and Engineering",
        "Logistics Management",
        "Information Systems",
        "Industrial Engineering",
    ],
}

# The coaching program serves the whole university.
UNIVERSITY_MAJORS = [
    "Computer Science and Technology",
    "Electrical Engineering",
    "Mechanical Engineering",
    "Civil Engineering",
    "Environmental Engineering",
    "Chemistry",
    "Physics",
    "Mathematics and Applied Mathematics",
    "Biomedical Engineering",
    "Architecture",
    "Law",
    "Journalism and Communication",
    "Economics and Finance",
    "Automation",
    "Materials Science",
    "Industrial Design",
]

INTERESTS = [
    "investment banking",
    "sustainable finance",
    "auditing and assurance",
    "fintech",
    "brand strategy",
    "consumer insight",
    "management consulting",
    "entrepreneurship",
    "public service and the civil-service exam",
    "policy research",
    "data analytics",
    "product management",
    "supply-chain management",
    "smart manufacturing",
    "new-energy industry",
    "graduate study abroad",
    "doctoral research",
    "human resources",
    "venture capital",
    "cross-border e-commerce",
    "urban planning",
    "semiconductors",
    "healthcare industry",
    "international organisations",
]

ORGANISATIONS = {
    "finance": [
        "Jialing Capital Partners",
        "Shancheng Audit & Advisory",
        "Yuzhou Commercial Bank",
        "Three Gorges Securities",
        "Changan Asset Management",
        "Xinan Insurance Group",
    ],
    "management": [
        "Hongya Consumer Brands",
        "Qianshan Consulting",
        "Lanxi Retail Group",
        "Beibei Talent Services",
        "Chaotian Media",
    ],
    "economics": [
        "Municipal Bureau of Commerce",
        "Provincial Development Research Center",
        "District Finance Bureau",
        "Municipal Bureau of Statistics",
        "Western Economic Policy Institute",
    ],
    "operations": [
        "Liangjiang Logistics",
        "Tongyuan Smart Manufacturing",
        "Jinyun Cloud Technology",
        "Baima Automotive Parts",
        "Fuling Supply Chain Co.",
    ],
    "technology": [
        "Huaxin Technology",
        "Zhiyuan Semiconductor",
        "Qingyun Software",
        "Tianlu Robotics",
        "Xingchen Internet",
    ],
    "energy": [
        "Dongfang Green Power",
        "Haiyang Battery Systems",
        "Kunlun Grid Services",
        "Sanjiang Hydrogen",
    ],
    "career": [
        "University Career Development Center",
        "School of Public Policy",
        "Beacon Career Consulting",
        "Department of Psychology",
    ],
}

INDUSTRIES = {
    "finance": "Financial services",
    "management": "Consumer goods and services",
    "economics": "Public administration",
    "operations": "Logistics and manufacturing",
    "technology": "Information technology",
    "energy": "New energy",
    "career": "Education and career services",
}

DISCIPLINES = {
    "finance": "Finance and accounting",
    "management": "Business administration",
    "economics": "Economics and public policy",
    "operations": "Operations and information systems",
    "technology": "Computer science and engineering",
    "energy": "Energy and materials engineering",
    "career": "Career development",
}

BIO_OPENINGS = [
    "Has spent {years} years in {industry_lower}",
    "Brings {years} years of experience in {industry_lower}",
    "Started out as a graduate trainee and has worked {years} years in {industry_lower}",
    "After {years} years in {industry_lower}, now leads a team of {team}",
]

BIO_TOPICS = [
    "career planning and first-job decisions",
    "internship search and interview preparation",
    "thesis topics that connect theory with practice",
    "reading financial statements and industry reports",
    "moving between the public and private sectors",
    "starting a business and raising a first round",
    "working across cultures and in international teams",
    "negotiation, presentation and workplace writing",
    "choosing between graduate school and a job offer",
]

BIO_CLOSINGS = [
    "Enjoys taking students on company visits.",
    "Hosts a monthly reading salon for mentees.",
    "Recommends internships in their own organisation every spring.",
    "Attends undergraduate thesis defenses as an external examiner.",
    "Believes the best advice comes from a student's own questions.",
    "Runs mock interviews before every recruitment season.",
]


def pinyin_name(rng):
    surname, given = rng.choice(SURNAMES), rng.choice(GIVEN_NAMES)
    return f"{surname} {given}" if surname != given else pinyin_name(rng)


def english_name(rng):
    return f"{rng.choice(ENGLISH_FIRST)} {rng.choice(ENGLISH_LAST)}"


def bio(rng, *, title, organisation, industry):
    opening = rng.choice(BIO_OPENINGS).format(
        years=rng.randint(6, 25), industry_lower=industry.lower(), team=rng.randint(5, 60)
    )
    topics = rng.sample(BIO_TOPICS, 2)
    return (
        f"{title} at {organisation}. {opening}. "
        f"Mentors students on {topics[0]} and {topics[1]}. {rng.choice(BIO_CLOSINGS)}"
    )
