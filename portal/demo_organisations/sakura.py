"""Sakura Tech Bootcamp (東京): web engineering and data science graduates, many changing careers, applying to
Japanese web companies, SIer and start-ups. Employers are invented; salaries are yearly (年収) in yen."""

from __future__ import annotations

from portal.demo_histories import CohortPlan, DemoOrganisation, Employer, Field, Person, Role

E = Employer
MIRAITECH = E("株式会社ミライテック", "東京都渋谷区", "JP", "technology", 1.05)
NEXTLINK = E("株式会社ネクストリンク", "東京都渋谷区", "JP", "technology", 1.0)
TOHO = E("東邦システムソリューションズ株式会社", "東京都港区", "JP", "technology", 0.9)
MITSUBA = E("三葉情報システム株式会社", "東京都品川区", "JP", "technology", 0.9)
PAYLIGHT = E("株式会社ペイライト", "東京都千代田区", "JP", "finance-insurance", 1.1)
AOBA = E("あおば損害保険株式会社", "東京都新宿区", "JP", "finance-insurance", 1.0)
CARELINK = E("株式会社ケアリンク", "東京都中央区", "JP", "healthcare", 0.95)
SHOPSTUDIO = E("株式会社ショッピングスタジオ", "東京都目黒区", "JP", "retail-ecommerce", 1.0)
HAKOBUNE = E("株式会社ハコブネ", "東京都江東区", "JP", "transportation-logistics", 0.95)
EDUPLUS = E("株式会社エデュプラス", "東京都文京区", "JP", "education", 0.9)
GREENLAB = E("株式会社グリーンエナジーラボ", "神奈川県横浜市", "JP", "energy-utilities", 0.95)
ANALYTICS = E("株式会社アナリティクスワークス", "東京都港区", "JP", "professional-services", 1.05)
ADVANCE = E("株式会社アドバンスマーケティング", "大阪府大阪市", "JP", "marketing-media", 0.95)

CV_HEAD = "{name}\n{headline}・{city}・{email}\n\n職務要約\n{summary}\n\n"
CV_TAIL = "\n\nスキル\n{skills}\n\n資格\n{certificate}\n\n語学\n{languages}\n"

WEB = Field(
    key="web",
    roles=(
        Role("Webエンジニア（バックエンド）", 4_200_000, 6_000_000),
        Role("フロントエンドエンジニア（React）", 4_000_000, 5_800_000),
        Role("サーバーサイドエンジニア（Ruby on Rails）", 4_200_000, 6_200_000),
        Role("インフラエンジニア（AWS）", 4_500_000, 6_500_000),
        Role("QAエンジニア", 3_800_000, 5_200_000),
        Role("アプリケーションエンジニア", 3_600_000, 5_000_000),
    ),
    employers=(MIRAITECH, NEXTLINK, TOHO, MITSUBA, PAYLIGHT, CARELINK, SHOPSTUDIO, HAKOBUNE, EDUPLUS, GREENLAB),
    description=(
        "{company}では{title}を募集しています。\n\n業務内容\n- 自社サービスの設計・開発・運用\n"
        "- コードレビューとテストの自動化\n\n必須\n- Webアプリケーションの開発経験（スクールでの開発経験も可）\n"
        "- Git を使ったチーム開発の経験\n- SQL の基礎知識\n\n歓迎\n- AWS などクラウドの利用経験\n"
        "- Docker の利用経験\n- ポートフォリオ（GitHub）の公開"
    ),
    cv=CV_HEAD
    + (
        "職務経歴\n{past_years}　{past_company}\n{past_role}\n- {past_bullet}\n\n"
        "2026年　Sakura Tech Bootcamp Webエンジニアコース 修了\n- チーム開発で{project}を開発\n\n学歴\n{school}"
    )
    + CV_TAIL,
    cv_choices={
        "headline": ("Webエンジニア", "バックエンドエンジニア", "フロントエンドエンジニア"),
        "summary": (
            "飲食店の店長として7年間勤務した後、プログラミングスクールでWeb開発を学びました。",
            "営業職として法人顧客を担当したのち、Webエンジニアへの転職を目指して学習しています。",
            "大学卒業後、事務職を経てエンジニアを目指し、Ruby on Rails と React を中心に学びました。",
        ),
        "past_years": ("2019年4月〜2026年3月", "2018年4月〜2026年3月", "2020年4月〜2026年3月"),
        "past_company": ("株式会社フードサービス東京", "関東オフィス機器販売株式会社", "株式会社みなと物流"),
        "past_role": ("店長（スタッフ15名）", "法人営業", "営業事務"),
        "past_bullet": (
            "シフト管理をスプレッドシートで自動化し、作業時間を週5時間削減",
            "新規顧客を年間30社開拓し、売上目標を3年連続で達成",
            "受発注業務のマクロを作成し、入力ミスを半減",
        ),
        "project": (
            "飲食店向け予約管理アプリ（Ruby on Rails、PostgreSQL）",
            "チーム向けタスク管理アプリ（React、TypeScript、Firebase）",
            "地域イベント検索サービス（Next.js、AWS）",
        ),
        "school": (
            "2019年3月　明治大学 商学部 卒業",
            "2018年3月　日本大学 法学部 卒業",
            "2020年3月　法政大学 文学部 卒業",
        ),
        "skills": (
            "Ruby, Ruby on Rails, JavaScript, React, PostgreSQL, Git, Docker",
            "TypeScript, React, Next.js, Node.js, AWS, Git",
            "PHP, Laravel, MySQL, JavaScript, Linux, Git",
        ),
        "certificate": (
            "基本情報技術者試験 合格（2026年）",
            "AWS Certified Cloud Practitioner（2026年）",
            "普通自動車第一種運転免許",
        ),
        "languages": ("日本語（ネイティブ）、英語（TOEIC 650点）", "日本語（ネイティブ）、英語（TOEIC 785点）"),
    },
    remote_share=0.3,
    cv_linked=(("summary", "past_years", "past_company", "past_role", "past_bullet", "school"),),
)

DATA = Field(
    key="data",
    roles=(
        Role("データアナリスト", 4_500_000, 6_500_000),
        Role("データサイエンティスト", 5_000_000, 7_500_000),
        Role("機械学習エンジニア", 5_500_000, 8_000_000),
        Role("BIエンジニア", 4_500_000, 6_000_000),
        Role("データエンジニア", 5_000_000, 7_000_000),
    ),
    employers=(MIRAITECH, PAYLIGHT, SHOPSTUDIO, CARELINK, TOHO, ANALYTICS, AOBA, HAKOBUNE, ADVANCE, GREENLAB),
    description=(
        "{company}では{title}を募集しています。\n\n業務内容\n- 事業データの分析と施策の効果検証\n"
        "- 分析基盤とダッシュボードの整備\n\n必須\n- Python と SQL を使ったデータ分析の経験\n"
        "- 統計の基礎知識\n\n歓迎\n- BigQuery や Snowflake の利用経験\n- 機械学習モデルの開発経験"
    ),
    cv=CV_HEAD
    + (
        "職務経歴\n{past_years}　{past_company}\n{past_role}\n- {past_bullet}\n\n"
        "2026年　Sakura Tech Bootcamp データサイエンスコース\n- 修了課題：{project}\n\n学歴\n{school}"
    )
    + CV_TAIL,
    cv_choices={
        "headline": ("データサイエンティスト", "データアナリスト", "機械学習エンジニア"),
        "summary": (
            "メーカーの品質管理で統計的手法を使ってきた経験を活かし、データサイエンティストを目指しています。",
            "マーケティング担当として広告データを分析してきました。Python と SQL で分析の幅を広げています。",
            "大学院で物理学を専攻し、数値計算の経験があります。機械学習エンジニア職を希望しています。",
        ),
        "past_years": ("2017年4月〜2026年8月", "2019年4月〜2026年9月", "2021年4月〜2026年8月"),
        "past_company": ("東和精機株式会社", "株式会社ブライトメディア", "国立研究開発法人の研究室"),
        "past_role": ("品質管理", "デジタルマーケティング担当", "研究補助員"),
        "past_bullet": (
            "工程データの分析で不良率を1.2%から0.7%に改善",
            "広告効果のダッシュボードを作成し、月次レポートを自動化",
            "シミュレーションコードを Python に移行し、計算時間を3分の1に短縮",
        ),
        "project": (
            "ECサイトの購買データによる需要予測（LightGBM）",
            "顧客離反予測モデルと施策のシミュレーション",
            "口コミデータの感情分析（BERT）",
        ),
        "school": (
            "2017年3月　東京理科大学 工学部 卒業",
            "2019年3月　早稲田大学 商学部 卒業",
            "2021年3月　東北大学大学院 理学研究科 修了",
        ),
        "skills": (
            "Python, pandas, scikit-learn, SQL, BigQuery, Tableau",
            "Python, SQL, LightGBM, PyTorch, Docker, Git",
            "SQL, Looker Studio, Excel, Python, 統計検定2級",
        ),
        "certificate": ("統計検定2級", "G検定（2026年）", "Python 3 エンジニア認定データ分析試験"),
        "languages": ("日本語（ネイティブ）、英語（TOEIC 720点）", "日本語（ネイティブ）、英語（ビジネスレベル）"),
    },
    remote_share=0.35,
    cv_linked=(("headline", "summary", "past_years", "past_company", "past_role", "past_bullet", "school"),),
)

P = Person
PEOPLE = (
    # 2026年4月期 Webエンジニア
    P("鈴木 陽翔", "haruto.suzuki@sakura.example", "東京都"),
    P("高橋 美咲", "misaki.takahashi@sakura.example", "神奈川県横浜市"),
    P("伊藤 大輝", "daiki.ito@sakura.example", "東京都"),
    P("渡辺 結衣", "yui.watanabe@sakura.example", "埼玉県さいたま市"),
    P("中村 拓海", "takumi.nakamura@sakura.example", "東京都"),
    P("小林 さくら", "sakura.kobayashi@sakura.example", "千葉県船橋市"),
    P("加藤 健太", "kenta.kato@sakura.example", "東京都"),
    P("吉田 彩花", "ayaka.yoshida@sakura.example", "神奈川県川崎市"),
    P(
        "グエン ヴァン ミン",
        "minh.nguyen@sakura.example",
        "東京都",
        "ベトナム語（ネイティブ）、日本語（JLPT N1）、英語（日常会話）",
    ),
    P("山田 翔太", "shota.yamada@sakura.example", "東京都"),
    # 2026年7月期 Webエンジニア（夜間・週末）
    P("佐々木 優奈", "yuna.sasaki@sakura.example", "東京都"),
    P("山口 直樹", "naoki.yamaguchi@sakura.example", "大阪府大阪市"),
    P("松本 愛", "ai.matsumoto@sakura.example", "東京都"),
    P("井上 颯", "hayate.inoue@sakura.example", "東京都"),
    P("木村 葵", "aoi.kimura@sakura.example", "神奈川県藤沢市"),
    P("李 静", "jing.li@sakura.example", "東京都", "中国語（ネイティブ）、日本語（JLPT N1）、英語（ビジネスレベル）"),
    # 2026年10月期 データサイエンス
    P("林 俊介", "shunsuke.hayashi@sakura.example", "東京都"),
    P("清水 千尋", "chihiro.shimizu@sakura.example", "東京都"),
    P("森 悠真", "yuma.mori@sakura.example", "埼玉県川口市"),
    P("池田 七海", "nanami.ikeda@sakura.example", "東京都"),
    P("橋本 亮", "ryo.hashimoto@sakura.example", "東京都"),
    P("石川 真由", "mayu.ishikawa@sakura.example", "千葉県千葉市"),
    P("前田 光", "hikaru.maeda@sakura.example", "東京都"),
)

ORGANISATION = DemoOrganisation(
    seed="cvplus-demo-sakura",
    currency="JPY",
    utc_offset_hours=9,
    pay_step=100_000,
    seats=50,
    price_per_seat_minor=5500,
    coaches=(("makoto.okada@sakura.example", "岡田 誠"),),
    analyst=("analyst@sakura.example", "藤井 恵"),
    cohorts=(
        CohortPlan("2026年4月期 Webエンジニア", "intake", 250, (250, 225), ("web",), (60, 90), 10),
        CohortPlan("2026年7月期 Webエンジニア（夜間・週末）", "intake", 158, (165, 150), ("web",), (40, 60), 6),
        CohortPlan("2026年10月期 データサイエンス", "intake", 66, (100, 91), ("data",), (20, 35), 7),
    ),
    fields=(WEB, DATA),
    people=PEOPLE,
    lead_city="東京都",
    template_name="転職活動ボード（標準）",
    template_description=(
        "受講生全員が最初に使うボードです。標準の選考ステージ、メンターと進める最初の3つのタスク、"
        "応募から1週間後のリマインダーが入っています。"
    ),
    template_tasks=(
        ("職務経歴書をメンターに添削してもらう", 7),
        ("ポートフォリオ（GitHub）を整える", 14),
        ("模擬面接を1回受ける", 21),
    ),
    goal_title="週10件の応募",
    announcement=(
        "オンライン企業説明会のお知らせ",
        "来週木曜日19時から、提携企業5社によるオンライン説明会を開催します。Webエンジニア、データサイエンティストの"
        "求人が中心です。参加を希望する方は、担当メンターまでご連絡ください。録画は後日共有します。",
    ),
    coach_notes=(
        ("offer_pending", "内定が出ました。年収と入社日の条件を確認中。他社の最終面接の結果を待ってから回答予定です。"),
        ("offer_pending", "二次面接は技術課題の説明が好評。逆質問も準備できていました。"),
        ("landed", "内定を承諾し、入社が決まりました。後輩向けの体験談インタビューをお願いしました。"),
        ("quiet", "3週間応募がありません。Slackで連絡しましたが返信待ち。来週の面談で状況を確認します。"),
        ("interview_recent", "一次面接の振り返り：志望動機は良いが、前職の経験と開発の結びつきをもっと具体的に。"),
        ("searching", "職務経歴書を添削。前職の成果を数字で示し、ポートフォリオのURLを冒頭に移動しました。"),
        ("searching", "書類選考の通過率が低いので、SIerだけでなく自社開発の中小企業にも応募先を広げる方針。"),
        ("", "模擬面接を実施。技術質問への回答は的確。話すスピードをもう少しゆっくりに。"),
    ),
    coach_tasks=(
        "ポートフォリオのREADMEを書き直す",
        "応募したい企業を5社リストアップする",
        "職務経歴書の自己PRを200字にまとめる",
        "技術ブログを1本書く",
        "模擬面接の日程を決める",
    ),
)
